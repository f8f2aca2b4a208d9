// Square webhooks: event shape, verification and which stream each event type re-syncs.
import { z } from "zod";
import type { WebhookAction, WebhookProvider } from "../../webhooks/provider.ts";
import { SQUARE_SIGNATURE_HEADER, verifySquareSignature } from "./webhook_signature.ts";

export const squareEventSchema = z.looseObject({
  merchant_id: z.string().optional(),
  type: z.string().min(1).max(200),
  event_id: z.string().min(1).max(200),
  created_at: z.string().min(1).max(100),
  data: z.looseObject({
    type: z.string().optional(),
    id: z.string().min(1).max(200).optional(),
    object: z.record(z.string(), z.unknown()).optional(),
  }).optional(),
});
type SquareEvent = z.infer<typeof squareEventSchema>;

/**
 * Single-record events: event type -> stream whose fetchOne re-reads data.id. A *.deleted event is
 * re-read too: Square's 404 then marks the row deleted (a replayed or forged event deletes nothing).
 * Of the streams synced, Square documents a deletion event for customers only (customer.deleted);
 * catalog deletions arrive as catalog.version.updated (deleted objects are listed, is_deleted).
 */
const RECORD_EVENTS: Record<string, string> = {
  "payment.created": "payments",
  "payment.updated": "payments",
  "order.created": "orders",
  "order.updated": "orders",
  "order.fulfillment.updated": "orders",
  "customer.created": "customers",
  "customer.updated": "customers",
  "customer.deleted": "customers",
};

/** Events that re-run listings (their objects have no single-record read we can key on). */
const STREAM_EVENTS: Record<string, string[]> = {
  "catalog.version.updated": ["catalog_categories", "catalog_items", "catalog_variations"],
  "inventory.count.updated": ["inventory_counts"],
};

/** The id of the object an event is about: data.id, else the id inside data.object. */
function objectId(e: SquareEvent): string | null {
  if (e.data?.id) return e.data.id;
  for (const v of Object.values(e.data?.object ?? {})) {
    const o = v as Record<string, unknown> | null;
    const id = o?.order_id ?? o?.id;
    if (typeof id === "string" && id) return id;
  }
  return null;
}

export function squareAction(eventType: string, payload: unknown): WebhookAction {
  const stream = RECORD_EVENTS[eventType];
  if (stream) {
    const id = objectId(payload as SquareEvent);
    return id
      ? { kind: "records", stream, ids: [id] }
      : { kind: "ignore", reason: `${eventType} without an object id` };
  }
  const streams = STREAM_EVENTS[eventType];
  if (streams) return { kind: "streams", streams, mode: "incremental" };
  return { kind: "ignore", reason: `event type "${eventType}" is not synced` };
}

export const squareProvider: WebhookProvider = {
  name: "square",
  signatureHeader: SQUARE_SIGNATURE_HEADER,
  configured: (s) => Boolean(s.signatureKey),
  verify: ({ rawBody, headers, url, settings }) =>
    verifySquareSignature(
      settings.signatureKey ?? "",
      settings.notificationUrl ?? url,
      rawBody,
      headers.get(SQUARE_SIGNATURE_HEADER),
    ),
  schema: squareEventSchema,
  event: (payload) => {
    const e = payload as SquareEvent;
    return { eventId: e.event_id, eventType: e.type, timestamp: e.created_at, timestampField: "created_at" };
  },
  requireTimestamp: true,
  // Square retries an unacknowledged notification for up to 72 hours with the event's original
  // created_at: a retry after an outage is accepted; a replay inside the window is a no-op by its
  // event id (kept 7 days), an older one is refused
  replayWindow: { maxAgeMs: 73 * 3_600_000, maxSkewMs: 60_000 },
  action: squareAction,
};
