// Bubble and other unsigned sources: a shared-secret header; the event id comes from the
// x-event-id header or the body's id; the body may name the stream and record ids to re-sync:
// {"id": "evt-1", "type": "order.updated", "stream": "orders", "ids": ["123"], "timestamp": "..."}.
import { z } from "zod";
import type { WebhookProvider } from "./provider.ts";
import { SHARED_SECRET_HEADER, verifySharedSecret } from "./shared_secret.ts";

export const EVENT_ID_HEADER = "x-event-id";
export const EVENT_TIMESTAMP_HEADER = "x-event-timestamp";

const id = z.union([z.string().min(1).max(200), z.number().int()]).transform(String);

export const genericEventSchema = z.looseObject({
  id: id.optional(),
  _id: id.optional(),
  event_id: id.optional(),
  type: z.string().min(1).max(200).optional(),
  stream: z.string().min(1).max(100).optional(),
  ids: z.array(id).min(1).max(500).optional(),
  timestamp: z.union([z.string().max(100), z.number()]).optional(),
});
type GenericEvent = z.infer<typeof genericEventSchema>;

export function genericProvider(name: string): WebhookProvider {
  return {
    name,
    signatureHeader: SHARED_SECRET_HEADER,
    configured: (s) => Boolean(s.secret),
    verify: ({ headers, settings }) =>
      Promise.resolve(
        verifySharedSecret(settings.secret, headers.get(settings.secretHeader ?? SHARED_SECRET_HEADER)),
      ),
    schema: genericEventSchema,
    event: (payload, headers) => {
      const e = payload as GenericEvent;
      const header = headers.get(EVENT_ID_HEADER);
      return {
        eventId: header && header.length <= 200 ? header : e.event_id ?? e.id ?? e._id ?? "",
        eventType: e.type ?? (e.stream ? `${e.stream}.changed` : "event"),
        timestamp: headers.get(EVENT_TIMESTAMP_HEADER) ?? e.timestamp,
        timestampField: headers.has(EVENT_TIMESTAMP_HEADER) ? EVENT_TIMESTAMP_HEADER : "timestamp",
      };
    },
    // shared-secret senders often cannot stamp deliveries: dedupe on the event id is the replay guard
    requireTimestamp: false,
    action: (_type, payload) => {
      const e = payload as GenericEvent;
      if (e.stream && e.ids) return { kind: "records", stream: e.stream, ids: e.ids };
      if (e.stream) return { kind: "streams", streams: [e.stream], mode: "incremental" };
      return { kind: "ignore", reason: "event names no stream" };
    },
  };
}
