// Shared by the promotion tests: what the fake's event data says production must hold, and a
// checksum of production content without local identity.
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { FAKE_SQUARE_TOKEN, type FakeSquare } from "../fakes/square/mod.ts";
import type { Sql } from "../_support/db.ts";
import { apiClient } from "./_app.ts";

// deno-lint-ignore no-explicit-any
export type Rec = Record<string, any>;

/** What the fake's records say about each payment: eligible, failing (no attendee data), tickets. */
export function expectedChains(fake: FakeSquare) {
  const t = fake.state.world.tables;
  const eventItems = new Set<string>();
  for (let i = 0; i < t.catalog_items.count; i++) {
    const item = t.catalog_items.record(i) as Rec;
    if (item.item_data.product_type === "EVENT") eventItems.add(item.id);
  }
  const ticketVariations = new Set<string>();
  for (let j = 0; j < t.catalog_variations.count; j++) {
    const v = t.catalog_variations.record(j) as Rec;
    if (eventItems.has(v.item_variation_data.item_id)) ticketVariations.add(v.id);
  }
  const promoted = new Map<string, number>();
  const failed = new Set<string>();
  for (let i = 0; i < t.payments.count; i++) {
    const p = t.payments.record(i) as Rec;
    const o = t.orders.record(t.orders.index(p.order_id)) as Rec;
    const lines = (o.line_items as Rec[]).filter((l) => ticketVariations.has(l.catalog_object_id));
    const refunded = p.refunded_money?.amount ?? 0;
    const eligible = p.status === "COMPLETED" && !(refunded > 0 && refunded >= p.total_money.amount) &&
      o.state !== "CANCELED" && lines.length > 0;
    if (!eligible) continue;
    if (lines.some((l) => !l.metadata && !o.fulfillments)) failed.add(p.id);
    else promoted.set(p.id, lines.reduce((n, l) => n + Number(l.quantity), 0));
  }
  return { promoted, failed };
}

/** Production content without local identity (uuids, codes, timestamps): equal runs, equal text. */
export async function productionChecksum(sql: Sql): Promise<string> {
  const [row] = await sql`select md5(string_agg(x, '|' order by x)) as sum from (
    select 'r' || id || status || coalesce(customer_key, '') || ticket_count || attendee_count as x from events.registrations
    union all select 't' || registration_id || line_item_uid || unit || status || coalesce(attendee_key, '') from events.tickets
    union all select 'a' || registration_id || attendee_key || coalesce(name, '') from events.attendees
    union all select 'c' || email || coalesce(name, '') from events.contacts
    union all select 'b' || customer_key || coalesce(email, '') from events.customers
    union all select 'p' || id || status from events.payments
    union all select 's' || root_id || status || coalesce(reason_code, '') || coalesce(failed_step, '')
      from sync.promotion_roots) s`;
  return row.sum;
}

/** The real app over a test database, syncing from the fake with the Square promotion plan on. */
export async function promotionApp(sql: Sql, fakeUrl: string) {
  return await apiClient({
    sql,
    connectors,
    connectorConfig: () => ({
      accessToken: FAKE_SQUARE_TOKEN,
      baseUrl: fakeUrl,
      rateLimitRequests: 0,
      promotionPlan: "square_event_sales",
    }),
  });
}
