// Thin typed wrappers over the webhook inbox RPCs (sql/sync_webhooks.sql).
import type postgres from "postgres";
import type { Sql } from "../engine/db.ts";
import { fromDatabaseError } from "../engine/errors.ts";
import { sanitiseValue } from "../engine/sanitise.ts";

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

async function rpc<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw fromDatabaseError(err);
  }
}

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
    // surrogate): by the same rule as source records (engine/sanitise.ts); the signature was
    // checked on the bytes as they came
    const { eventId, eventType, account, payload } = sanitiseValue({
      eventId: input.eventId,
      eventType: input.eventType,
      account: input.account,
      payload: input.payload,
    }).value;
    return rpc(async () => {
      const [row] = await sql`select * from sync.receive_webhook(${input.provider}, ${eventId},
        ${eventType}, ${account}, ${sql.json(payload as postgres.JSONValue)},
        ${input.status ?? "received"})`;
      // a duplicate whose inbox row the cleanup removed has no id (its event id is still remembered)
      return row.is_new
        ? { isNew: true as const, id: Number(row.id) }
        : { isNew: false as const, id: row.id === null ? null : Number(row.id) };
    });
  },
  claim(sql: Sql, limit: number, visibilitySeconds: number, ids?: number[]): Promise<InboxRow[]> {
    return rpc(async () => {
      const rows = await sql`select * from sync.claim_webhooks(${limit}, ${visibilitySeconds},
        ${ids ? sql.array(ids) : null}::bigint[])`;
      return rows.map((r) =>
        ({ ...r, id: Number(r.id), job_id: r.job_id === null ? null : Number(r.job_id) }) as InboxRow
      );
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
      await sql`select sync.finish_webhook(${id}, ${status}, ${error}, ${jobId})`;
    });
  },
};
