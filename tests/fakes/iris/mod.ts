// A fake IRIS CRM Open API v1, written from IRIS's public SDK documentation (iris-crm/php-sdk:
// README "Using the API" and "Limiting", docs/Api/MerchantsApi.md, docs/Api/ResidualsApi.md and the
// models BriefMerchantInfo, MonetaryBatchTransactions, MerchantRow, Links, Meta), independent of the
// fake the Ireland Pay connector was first built against (tests/fakes/irelandpay). What it serves
// the way IRIS documents it, and a typical client does not expect:
// - X-API-KEY header; 401 without it; 120 requests a minute, then `429 Too Many Attempts.` with
//   Retry-After (here: every n-th request, on demand).
// - Laravel pages: {data, links: {first, last, prev, next} (absolute URLs), meta: {current_page,
//   from, last_page, path, per_page, to, total}}, `last_page` a **string** (Meta: string).
// - `per_page` clamped to the endpoint's own maximum (meta.per_page says so): a page can hold fewer
//   rows than asked while links.next / last_page say more follow.
// - merchants (BriefMerchantInfo): `mid` a string, `active` and `vim` strings ("1"/"0"), `opened`
//   / `closed` dates (Y-m-d), `created` / `modified` date-times (ISO 8601 or "Y-m-d H:i:s");
//   filtered by date_filter=<field>&start_date&end_date (ISO 8601 for created/modified, Y-m-d
//   otherwise), sorted by sort_by/sort_dir on page numbers (an edit moves a merchant).
// - transactions (MonetaryBatchTransactions): `id` an **integer**, `date` a date, `amount` a
//   decimal string. Served flat per merchant (the connector's documented assumption; IRIS nests them
//   in batches), with `mid` an integer, filtered by start_date/end_date (Y-m-d, inclusive).
// - residual summary rows (MerchantRow): `mid`, `transactions` integers, amounts JSON **numbers**
//   (`sales_amount` may have 17 significant digits), `period` the month as "Y-m" (assumed: IRIS
//   names the month in the path only).
import { seeded } from "../_random.ts";

export const FAKE_IRIS_KEY = "fake-iris-api-key";
const PREFIX = "/api/v1";

export type Json = Record<string, unknown>;

export interface IrisMerchant {
  mid: string;
  name: string;
  dba: string;
  status: string;
  active: string;
  vim: string;
  group: string;
  processor: string;
  sic_code: string;
  opened: string;
  closed: string | null;
  created: string;
  modified: string;
}

export interface IrisWorld {
  merchants: IrisMerchant[];
  /** Flat transactions; amounts decimal strings, ids integers. */
  transactions: Json[];
  /** Residual rows by "YYYY-MM"; amounts as JSON number text (kept as text to stay exact). */
  residuals: Map<string, Json[]>;
}

export interface FakeIrisOptions {
  seed?: number;
  merchants?: number;
  /** First month with transactions and residual rows (Y-m-d). */
  from?: string;
  /** The fake's clock: transactions are posted up to this instant. */
  now?: () => number;
  /** Transactions per merchant per month. */
  perMonth?: number;
  /** Largest page per endpoint (IRIS clamps per_page); defaults 100. */
  maxPerPage?: Partial<Record<"merchants" | "transactions" | "residuals", number>>;
  /** Every n-th request answers 429 (0: never). */
  rateLimitEvery?: number;
  /** Called before every answer (after auth): lets a test edit the world mid-run. */
  onRequest?: (url: URL, world: IrisWorld) => void;
  /** The world to serve instead of a generated one. */
  world?: IrisWorld;
}

export interface FakeIris {
  url: string;
  world: IrisWorld;
  /** Every request line (path and query). */
  log: string[];
  /** Marks a merchant edited now (a later `modified`). */
  touch(mid: string, at?: Date): void;
  close(): Promise<void>;
}

const DAY = 86_400_000;
const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const ymd = (d: Date) => d.toISOString().slice(0, 10);
/** Laravel's default serialisation of a date-time: "Y-m-d H:i:s" (no zone; the app runs in UTC). */
const sqlTime = (d: Date) => d.toISOString().slice(0, 19).replace("T", " ");
/** ISO 8601 with an offset (PHP DATE_ATOM). */
const atom = (d: Date) => d.toISOString().slice(0, 19) + "+00:00";

/** A deterministic portfolio: merchants opened before and after `from`, some not edited since. */
export function createIrisWorld(opts: FakeIrisOptions = {}): IrisWorld {
  const rand = seeded(opts.seed ?? 7);
  const from = Date.parse(`${opts.from ?? "2024-04-01"}T00:00:00Z`);
  const now = (opts.now ?? Date.now)();
  const n = opts.merchants ?? 5;
  const perMonth = opts.perMonth ?? 3;
  const merchants: IrisMerchant[] = [];
  for (let i = 0; i < n; i++) {
    const created = new Date(from - (400 - i * 7) * DAY + i * 3_600_000);
    // even merchants were last edited before `from`: a filter on modified would hide them
    const modified = i % 2 === 0 ? new Date(from - (30 + i) * DAY) : new Date(from + (i * 11) * DAY);
    merchants.push({
      mid: `8001${pad(i + 1, 8)}`,
      name: `Merchant ${i + 1}${i === 1 ? " O'Brien & Søn" : ""}`,
      dba: `DBA ${i + 1}`,
      status: i === n - 1 ? "Closed" : "Open",
      active: i === n - 1 ? "0" : "1",
      vim: i % 3 === 0 ? "1" : "0",
      group: `Group ${i % 2}`,
      processor: "Elavon",
      sic_code: String(5812 + i),
      opened: ymd(created),
      closed: i === n - 1 ? ymd(new Date(now - 5 * DAY)) : null,
      created: i % 2 === 0 ? atom(created) : sqlTime(created),
      modified: i % 2 === 0 ? sqlTime(modified) : atom(modified),
    });
  }
  const transactions: Json[] = [];
  const residuals = new Map<string, Json[]>();
  let id = 91_000_001;
  for (
    let m = new Date(from);
    m.getTime() < now;
    m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))
  ) {
    const month = `${m.getUTCFullYear()}-${pad(m.getUTCMonth() + 1)}`;
    const rows: Json[] = [];
    for (const [i, merchant] of merchants.entries()) {
      let sales = 0;
      let count = 0;
      for (let k = 0; k < perMonth; k++) {
        const at = m.getTime() + Math.floor(rand() * 28 * DAY);
        if (at >= now) continue;
        const cents = 100 + Math.floor(rand() * 50_000);
        const type = k % 7 === 6 ? "refund" : k % 11 === 10 ? "chargeback" : "sale";
        if (type === "sale") sales += cents, count++;
        transactions.push({
          id: id++,
          mid: Number(merchant.mid),
          date: sqlTime(new Date(at)),
          type,
          status: "settled",
          amount: `${Math.floor(cents / 100)}.${pad(cents % 100)}`,
          cardholder: `4111********${pad(k, 4)}`,
          auth_code: `A${pad(k, 5)}`,
          pos_entry_mode: "chip",
          invoice_number: `INV-${id}`,
          batch_reference: `B${month.replace("-", "")}${i}`,
        });
      }
      rows.push({
        mid: Number(merchant.mid),
        merchant: merchant.name,
        period: month,
        transactions: count,
        sales_amount: `${Math.floor(sales / 100)}.${pad(sales % 100)}`,
        income: `${(sales * 0.02 / 100).toFixed(2)}`,
        expense: `${(sales * 0.012 / 100).toFixed(2)}`,
        net: `${(sales * 0.008 / 100).toFixed(2)}`,
        bps: 80,
        users: false,
        percentage: 50,
        agent_net: `${(sales * 0.004 / 100).toFixed(2)}`,
      });
    }
    residuals.set(month, rows);
  }
  return { merchants, transactions, residuals };
}

/** JSON text of a row whose amount fields are number literals written from their decimal text. */
function rowJson(row: Json, numberFields: readonly string[]): string {
  const parts = Object.entries(row).map(([k, v]) =>
    `${JSON.stringify(k)}:${numberFields.includes(k) && typeof v === "string" ? v : JSON.stringify(v)}`
  );
  return `{${parts.join(",")}}`;
}

const RESIDUAL_NUMBERS = ["sales_amount", "income", "expense", "net", "agent_net"] as const;

function parseFilterDate(s: string | null, dateOnly: boolean, endOfDay: boolean): number | null {
  if (s === null || s === "") return null;
  if (dateOnly || /^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const t = Date.parse(`${s.slice(0, 10)}T00:00:00Z`);
    return Number.isNaN(t) ? NaN : endOfDay ? t + DAY - 1 : t;
  }
  return Date.parse(s);
}

/** A record's date-time as IRIS writes it ("Y-m-d H:i:s" is UTC). */
const instant = (s: string) => Date.parse(/^\d{4}-\d{2}-\d{2} /.test(s) ? s.replace(" ", "T") + "Z" : s);

export function startFakeIris(opts: FakeIrisOptions = {}): FakeIris {
  const world = opts.world ?? createIrisWorld(opts);
  const log: string[] = [];
  let count = 0;
  const max = { merchants: 100, transactions: 100, residuals: 100, ...opts.maxPerPage };
  const error = (status: number, message: string, headers: Record<string, string> = {}) =>
    Response.json({ message }, { status, headers });

  function page(url: URL, kind: keyof typeof max, all: string[]): Response {
    const q = url.searchParams;
    const asked = q.has("per_page") ? Number(q.get("per_page")) : 15;
    const current = q.has("page") ? Number(q.get("page")) : 1;
    if (!Number.isInteger(asked) || asked < 1 || !Number.isInteger(current) || current < 1) {
      return error(422, "The page and per page must be positive integers.");
    }
    const per = Math.min(asked, max[kind]);
    const last = Math.max(1, Math.ceil(all.length / per));
    const slice = all.slice((current - 1) * per, current * per);
    const at = (p: number) => {
      const u = new URL(url);
      u.searchParams.set("page", String(p));
      return u.href;
    };
    const meta = {
      current_page: current,
      from: slice.length ? (current - 1) * per + 1 : null,
      last_page: String(last),
      path: `${url.origin}${url.pathname}`,
      per_page: per,
      to: slice.length ? (current - 1) * per + slice.length : null,
      total: all.length,
    };
    const links = {
      first: at(1),
      last: at(last),
      prev: current > 1 ? at(current - 1) : null,
      next: current < last ? at(current + 1) : null,
    };
    const body = `{"data":[${slice.join(",")}],"links":${JSON.stringify(links)},"meta":${
      JSON.stringify(meta)
    }}`;
    return new Response(body, { headers: { "content-type": "application/json" } });
  }

  function merchants(url: URL): Response {
    const q = url.searchParams;
    let list = [...world.merchants];
    const field = q.get("date_filter");
    if (field) {
      if (!["created", "modified", "opened", "closed", "first_batch", "last_batch"].includes(field)) {
        return error(422, `The selected date filter is invalid.`);
      }
      const timeField = field === "created" || field === "modified";
      const start = parseFilterDate(q.get("start_date"), !timeField, false);
      const end = parseFilterDate(q.get("end_date"), !timeField, true);
      if (Number.isNaN(start) || Number.isNaN(end)) return error(422, "The start date is not a valid date.");
      list = list.filter((m) => {
        const v = (m as unknown as Record<string, string | null>)[field];
        if (!v) return false;
        const t = timeField ? instant(v) : Date.parse(`${v}T00:00:00Z`);
        return (start === null || t >= start) && (end === null || t <= end);
      });
    }
    const sortBy = q.get("sort_by") ?? "mid";
    const dir = q.get("sort_dir") === "desc" ? -1 : 1;
    const keyOf = (m: IrisMerchant) => {
      const v = (m as unknown as Record<string, string | null>)[sortBy] ?? "";
      return sortBy === "created" || sortBy === "modified" ? String(instant(v)).padStart(15, "0") : v;
    };
    list.sort((a, b) => dir * (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : a.mid < b.mid ? -1 : 1));
    return page(url, "merchants", list.map((m) => JSON.stringify(m)));
  }

  function transactions(url: URL, mid: string): Response {
    if (!world.merchants.some((m) => m.mid === mid)) return error(404, "Merchant not found.");
    const q = url.searchParams;
    const start = parseFilterDate(q.get("start_date"), true, false);
    const end = parseFilterDate(q.get("end_date"), true, true);
    if (Number.isNaN(start) || Number.isNaN(end)) return error(422, "The start date is not a valid date.");
    const list = world.transactions.filter((t) => {
      const at = instant(String(t.date));
      return String(t.mid) === mid && (start === null || at >= start) && (end === null || at <= end);
    }).sort((a, b) => instant(String(a.date)) - instant(String(b.date)) || Number(a.id) - Number(b.id));
    return page(url, "transactions", list.map((t) => JSON.stringify(t)));
  }

  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    log.push(`${url.pathname}${url.search}`);
    if (req.headers.get("x-api-key") !== FAKE_IRIS_KEY) return error(401, "Unauthenticated.");
    count++;
    if (opts.rateLimitEvery && count % opts.rateLimitEvery === 0) {
      return error(429, "Too Many Attempts.", { "retry-after": "0", "x-ratelimit-limit": "120" });
    }
    opts.onRequest?.(url, world);
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : "";
    let m: RegExpExecArray | null;
    if (path === "/merchants") return merchants(url);
    if ((m = /^\/merchants\/([^/]+)$/.exec(path))) {
      const merchant = world.merchants.find((x) => x.mid === decodeURIComponent(m![1]));
      return merchant ? Response.json({ data: merchant }) : error(404, "Merchant not found.");
    }
    if ((m = /^\/merchants\/([^/]+)\/transactions$/.exec(path))) {
      return transactions(url, decodeURIComponent(m[1]));
    }
    if ((m = /^\/transactions\/(\d+)$/.exec(path))) {
      const t = world.transactions.find((x) => String(x.id) === m![1]);
      return t ? Response.json({ data: t }) : error(404, "Transaction not found.");
    }
    if ((m = /^\/residuals\/reports\/summary\/rows\/(?:\d+\/)?(\d{4})\/(\d{1,2})$/.exec(path))) {
      const rows = world.residuals.get(`${m[1]}-${pad(Number(m[2]))}`) ?? [];
      return page(url, "residuals", rows.map((r) => rowJson(r, RESIDUAL_NUMBERS)));
    }
    return error(404, "Not found.");
  });
  const addr = server.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${addr.port}${PREFIX}`,
    world,
    log,
    touch(mid, at = new Date()) {
      const merchant = world.merchants.find((x) => x.mid === mid);
      if (!merchant) throw new Error(`no merchant ${mid}`);
      merchant.modified = atom(at);
      merchant.status = `Edited ${merchant.status}`;
    },
    close: () => server.shutdown(),
  };
}
