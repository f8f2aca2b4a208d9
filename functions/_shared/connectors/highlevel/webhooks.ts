// HighLevel webhooks: event shape, verification and which stream each event type re-syncs.
import { z } from "zod";
import {
  HIGHLEVEL_LEGACY_SIGNATURE_HEADER,
  HIGHLEVEL_SIGNATURE_HEADER,
  verifyHighLevelSignature,
} from "./webhook_signature.ts";
import type { WebhookAction, WebhookProvider } from "../../webhooks/provider.ts";

export const highlevelEventSchema = z.looseObject({
  type: z.string().min(1).max(200),
  webhookId: z.string().min(1).max(200),
  timestamp: z.union([z.string().min(1).max(100), z.number()]),
  locationId: z.string().max(200).optional(),
  id: z.string().min(1).max(200).optional(),
  _id: z.string().min(1).max(200).optional(),
});
type HighLevelEvent = z.infer<typeof highlevelEventSchema>;

/**
 * Event type -> stream re-read by id. A deletion is re-read too: the API's 404 is what marks the
 * row deleted (engine single-record read), so a forged or replayed delete event deletes nothing.
 * Documented events: docs/webhook events/*.md in GoHighLevel/highlevel-api-docs (orders have none;
 * PriceDelete is left to the next listing: prices cannot be read one by one).
 */
const RECORD_EVENTS: Record<string, string> = {
  OrderCreate: "orders",
  OrderStatusUpdate: "orders",
  OrderUpdate: "orders",
  ContactCreate: "contacts",
  ContactUpdate: "contacts",
  ContactTagUpdate: "contacts",
  ContactDndUpdate: "contacts",
  ContactDelete: "contacts",
  ProductCreate: "products",
  ProductUpdate: "products",
  ProductDelete: "products",
};

export function highlevelAction(eventType: string, payload: unknown): WebhookAction {
  const stream = RECORD_EVENTS[eventType];
  if (!stream) return { kind: "ignore", reason: `event type "${eventType}" is not synced` };
  const e = payload as HighLevelEvent;
  const id = e.id ?? e._id;
  return id
    ? { kind: "records", stream, ids: [id] }
    : { kind: "ignore", reason: `${eventType} without an id` };
}

export const highlevelProvider: WebhookProvider = {
  name: "highlevel",
  signatureHeader: HIGHLEVEL_SIGNATURE_HEADER,
  configured: (s) => Boolean(s.ed25519PublicKey || (s.legacyRsa && s.rsaPublicKey)),
  verify: async ({ rawBody, headers, settings }) =>
    (await verifyHighLevelSignature(
      {
        ed25519PublicKey: settings.ed25519PublicKey,
        rsaPublicKey: settings.legacyRsa ? settings.rsaPublicKey : null,
      },
      rawBody,
      {
        ghl: headers.get(HIGHLEVEL_SIGNATURE_HEADER),
        legacy: headers.get(HIGHLEVEL_LEGACY_SIGNATURE_HEADER),
      },
    )) !== false,
  refusal: ({ headers, settings }) =>
    !headers.has(HIGHLEVEL_SIGNATURE_HEADER) && headers.has(HIGHLEVEL_LEGACY_SIGNATURE_HEADER) &&
      !settings.legacyRsa
      ? `the legacy ${HIGHLEVEL_LEGACY_SIGNATURE_HEADER} is not accepted (HighLevel signs with Ed25519, ` +
        `${HIGHLEVEL_SIGNATURE_HEADER}, since 2026-07-01); for an old app that sends only the legacy header set ` +
        "HIGHLEVEL_WEBHOOK_LEGACY_RSA=true and HIGHLEVEL_WEBHOOK_RSA_PUBLIC_KEY"
      : undefined,
  schema: highlevelEventSchema,
  event: (payload) => {
    const e = payload as HighLevelEvent;
    return { eventId: e.webhookId, eventType: e.type, timestamp: e.timestamp, timestampField: "timestamp" };
  },
  requireTimestamp: true,
  action: highlevelAction,
};
