// POST /sync/webhooks/:connector: verify, store once per event id, acknowledge, then process in
// the background (waitUntil) or leave it to the worker. Every refusal is a 4xx and stores nothing.
import { Hono } from "hono";
import { SynclineError, ValidationError } from "../../_shared/engine/errors.ts";
import { jsonDepth, MAX_JSON_DEPTH } from "../../_shared/api/json_depth.ts";
import { describeIssues, isJsonMediaType } from "../../_shared/api/validate.ts";
import { inbox } from "../../_shared/webhooks/inbox.ts";
import { processAndRun } from "../../_shared/worker_pass.ts";
import { webhookProvider, webhookSettings } from "../../_shared/webhooks/registry.ts";
import { checkTimestamp, defaultTimestampWindow } from "../../_shared/webhooks/timestamp.ts";
import type { AppDeps, WebhookOptions } from "../../_shared/deps.ts";

export type { WebhookOptions };

export const DEFAULT_MAX_WEBHOOK_BYTES = 256 * 1024;
export const ACCOUNT = /^[A-Za-z0-9_.:-]{1,200}$/;

const refuse = (code: string, message: string, status: number) => new SynclineError(code, message, status);

/** Reads at most max bytes of a body; null when it is longer. */
async function readLimited(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function webhookRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const opts: WebhookOptions = deps.webhooks ?? {};
  const maxBytes = opts.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;

  const now = deps.now ?? Date.now;

  app.post("/webhooks/:connector", async (c) => {
    const name = c.req.param("connector");
    const provider = webhookProvider(name, deps.connectors);
    if (!provider || !deps.connectors[name]) {
      throw refuse("not_found", `No webhook endpoint for connector "${name.slice(0, 60)}"`, 404);
    }
    const account = c.req.query("account") ?? "default";
    if (!ACCOUNT.test(account)) {
      throw new ValidationError(`Invalid account "${account.slice(0, 60)}"`, undefined, 400);
    }

    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > maxBytes) {
      throw refuse(
        "payload_too_large",
        `Webhook body of ${declared} bytes is over the ${maxBytes}-byte limit`,
        413,
      );
    }
    const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (!isJsonMediaType(type)) {
      throw refuse(
        "unsupported_media_type",
        `Webhook content type "${type || "(none)"}" is not application/json`,
        415,
      );
    }
    const bytes = await readLimited(c.req.raw.body, maxBytes);
    if (!bytes) throw refuse("payload_too_large", `Webhook body is over the ${maxBytes}-byte limit`, 413);
    let rawBody: string;
    try {
      rawBody = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw refuse("invalid_body", "Webhook body is not UTF-8 text", 400);
    }

    const settings = webhookSettings(deps.connectorConfig(name), opts.settings?.[name]);
    if (!provider.configured(settings)) {
      throw refuse(
        "webhook_not_configured",
        `Webhooks for "${name}" are not configured: no key to verify ${provider.signatureHeader} with`,
        401,
      );
    }
    const input = { rawBody, headers: c.req.raw.headers, url: c.req.url, settings };
    if (!(await provider.verify(input))) {
      throw refuse(
        "invalid_signature",
        `Webhook signature check failed for "${name}": ${
          provider.refusal?.(input) ?? `header ${provider.signatureHeader} is missing or wrong`
        }`,
        401,
      );
    }

    if (jsonDepth(rawBody) > MAX_JSON_DEPTH) {
      throw refuse("invalid_json", `Webhook body is nested deeper than ${MAX_JSON_DEPTH} levels`, 400);
    }
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch (err) {
      throw refuse("invalid_json", `Webhook body is not valid JSON: ${(err as Error).message}`, 400);
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      throw refuse("invalid_payload", "Webhook body must be a JSON object", 400);
    }
    const parsed = provider.schema.safeParse(json);
    if (!parsed.success) {
      throw refuse("invalid_payload", `Invalid ${name} webhook: ${describeIssues(parsed.error)}`, 400);
    }
    const event = provider.event(parsed.data, c.req.raw.headers);
    if (!event.eventId) {
      throw refuse(
        "invalid_payload",
        `Invalid ${name} webhook: no event id (header x-event-id or body id)`,
        400,
      );
    }
    if (provider.requireTimestamp || (event.timestamp !== undefined && event.timestamp !== null)) {
      const window = opts.window ?? provider.replayWindow ?? defaultTimestampWindow;
      const t = checkTimestamp(event.timestamp, now(), window, event.timestampField);
      if (!t.ok) {
        const status = t.reason === "stale" || t.reason === "future" ? 401 : 400;
        throw refuse(`${t.reason}_timestamp`, t.message, status);
      }
    }

    const action = provider.action(event.eventType, parsed.data);
    const stored = await inbox.receive(deps.sql, {
      provider: name,
      eventId: event.eventId,
      eventType: event.eventType,
      account,
      payload: json,
      status: action.kind === "ignore" ? "ignored" : "received",
    });
    if (!stored.isNew) return c.json({ received: true, duplicate: true, id: stored.id }, 200);
    if (action.kind !== "ignore" && deps.waitUntil && opts.runJobs !== false) {
      deps.waitUntil(
        processAndRun(deps, [stored.id], name).catch((err) =>
          (deps.log ?? console.error)(
            `webhook ${stored.id} background processing: ${(err as Error)?.message}`,
          )
        ),
      );
    }
    return c.json(
      { received: true, id: stored.id, ...(action.kind === "ignore" ? { ignored: true } : {}) },
      202,
    );
  });
  return app;
}
