// Thin typed wrappers over the webhook inbox RPCs (sql/sync_webhooks.sql).
import type postgres from "postgres";
import type { Sql } from "../engine/types.ts";
import { fromRow, rpc } from "../engine/postgres/mod.ts";
import { sanitiseValue } from "../engine/records/mod.ts";
import { errorText } from "../error_text.ts";

export interface InboxRow {
  id: number;
  provider: string;
  event_id: string;
  event_type: string;
  account: string;
  payload: Record<string, unknown>;
  status: "received" | "processing" | "processed" | "failed" | "ignored";
  attempts: number;
  error: string | null;
  job_id: number | null;
  received_at: string;
}

/** Columns that are bigint in sync.webhook_inbox. */
const INBOX_NUMBERS: ReadonlySet<string> = new Set(["id", "job_id"]);

export const inbox = {
  /**
   * Stores a delivery; isNew is false when its event id was seen within the dedup window (nothing
   * else happens), also after the inbox row itself was cleaned up.
   */
  receive(sql: Sql, input: {
    provider: string;
    eventId: string;
    eventType: string;
    account: string;
    payload: unknown;
    status?: "received" | "ignored";
  }): Promise<{ isNew: true; id: number } | { isNew: false; id: number | null }> {
    // a signed delivery is stored even when its text holds what Postgres cannot (U+0000, a lone
    // surrogate): by the same rule as source records (engine/records/sanitise.ts); the signature was
    // checked on the bytes as they came
    const { eventId, eventType, account, payload } = sanitiseValue({
      eventId: input.eventId,
      eventType: input.eventType,
      account: input.account,
      payload: input.payload,
    }).value;
    return rpc(async () => {
      const [raw] = await sql`select * from sync.receive_webhook(${input.provider}, ${eventId},
        ${eventType}, ${account}, ${sql.json(payload as postgres.JSONValue)},
        ${input.status ?? "received"})`;
      const row = fromRow<{ is_new: boolean; id: number | null }>(raw, INBOX_NUMBERS);
      // a duplicate whose inbox row the cleanup removed has no id (its event id is still remembered)
      return row.is_new ? { isNew: true as const, id: row.id! } : { isNew: false as const, id: row.id };
    });
  },
  claim(sql: Sql, limit: number, visibilitySeconds: number, ids?: number[]): Promise<InboxRow[]> {
    return rpc(async () => {
      const rows = await sql`select * from sync.claim_webhooks(${limit}, ${visibilitySeconds},
        ${ids ? sql.array(ids) : null}::bigint[])`;
      return rows.map((r) => fromRow<InboxRow>(r, INBOX_NUMBERS));
    });
  },
  finish(
    sql: Sql,
    id: number,
    status: InboxRow["status"],
    error: string | null,
    jobId: number | null,
  ): Promise<void> {
    return rpc(async () => {
      await sql`select sync.finish_webhook(${id}, ${status}, ${errorText(error)}, ${jobId})`;
    });
  },
};
