// The baseline Syncline's benchmarks compare against: the Square orders sync a team writes by hand.
// A plain sequential loop over SearchOrders pages (location ids from ListLocations, at most 10 per
// call, cursor paging, 500 orders a page): await the page, then await one upsert of it
// (jsonb_populate_recordset ... on conflict (id) do update, no version guard); a 429 sleeps
// Retry-After (else 1 s) and sends the same request again. It writes the same columns as the
// connector's orderRow, so a comparison with the runner is one of engines, not of row shapes.
import postgres from "postgres";
import { orderRow } from "../../functions/_shared/connectors/square/rows.ts";
import type { SquareOrder } from "../../functions/_shared/connectors/square/schemas.ts";
import { SQUARE_VERSION } from "../../functions/_shared/connectors/square/config.ts";

export interface HandwrittenOptions {
  dbUrl: string;
  baseUrl: string;
  token: string;
  /** Locations to read; default: every location GET /v2/locations lists. */
  locationIds?: string[];
  /** Orders per SearchOrders call (Square's maximum, 500, by default). */
  pageSize?: number;
}

export interface HandwrittenResult {
  records: number;
  seconds: number;
  /** HTTP requests sent, retries included. */
  requests: number;
  /** 429 answers that were waited out and retried. */
  retries: number;
}

// the columns orderRow writes, in its order (every row carries all of them)
const COLUMNS = Object.keys(orderRow({} as SquareOrder));

export async function handwrittenSync(opts: HandwrittenOptions): Promise<HandwrittenResult> {
  const sql = postgres(opts.dbUrl, { max: 1, onnotice: () => {} });
  const headers = {
    authorization: `Bearer ${opts.token}`,
    "square-version": SQUARE_VERSION,
    "content-type": "application/json",
  };
  let requests = 0;
  let retries = 0;
  const call = async <T>(path: string, body?: unknown): Promise<T> => {
    for (;;) {
      requests++;
      const res = await fetch(new URL(path, opts.baseUrl), {
        method: body === undefined ? "GET" : "POST",
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status === 429) {
        await res.body?.cancel();
        retries++;
        const after = Number(res.headers.get("retry-after"));
        await new Promise((r) => setTimeout(r, Number.isFinite(after) && after > 0 ? after * 1000 : 1000));
        continue;
      }
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
      return await res.json() as T;
    }
  };
  const cols = COLUMNS.map((c) => `"${c}"`).join(", ");
  const set = COLUMNS.filter((c) => c !== "id").map((c) => `"${c}" = excluded."${c}"`).join(", ");
  const upsert = `insert into square.orders (${cols})
    select ${cols} from jsonb_populate_recordset(null::square.orders, $1::text::jsonb)
    on conflict (id) do update set ${set}, _last_synced_at = now()`;

  const started = performance.now();
  let records = 0;
  try {
    const locationIds = opts.locationIds ??
      ((await call<{ locations?: { id: string }[] }>("/v2/locations")).locations ?? []).map((l) => l.id);
    for (let i = 0; i < locationIds.length; i += 10) {
      let cursor: string | undefined;
      do {
        const page = await call<{ orders?: SquareOrder[]; cursor?: string }>("/v2/orders/search", {
          location_ids: locationIds.slice(i, i + 10),
          limit: opts.pageSize ?? 500,
          ...(cursor ? { cursor } : {}),
          query: { sort: { sort_field: "UPDATED_AT", sort_order: "ASC" } },
        });
        const orders = page.orders ?? [];
        if (orders.length > 0) {
          await sql.unsafe(upsert, [JSON.stringify(orders.map(orderRow))]);
          records += orders.length;
        }
        cursor = page.cursor;
      } while (cursor);
    }
  } finally {
    await sql.end();
  }
  return { records, seconds: (performance.now() - started) / 1000, requests, retries };
}
