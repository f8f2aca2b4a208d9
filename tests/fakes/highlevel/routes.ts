// The fake HighLevel's routes, answering in the documented shapes (apps/products.json,
// payments.json, contacts.json): errors as { statusCode, message }, 422 with a message array.
import { orderSummary, type Rec } from "./data.ts";
import type { FakeHighLevelState } from "./state.ts";

export class Fault extends Error {
  constructor(readonly status: number, readonly body: Rec) {
    super("fault");
  }
}

const badRequest = (message: string) => new Fault(400, { statusCode: 400, message });
const unprocessable = (message: string) =>
  new Fault(422, { statusCode: 422, message: [message], error: "Unprocessable Entity" });
const notFound = (message: string) => new Fault(404, { statusCode: 404, message, error: "Not Found" });

function intParam(v: string | null, def: number, min: number, max: number, name: string): number {
  if (v === null || v === "") return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw unprocessable(`${name} must be an integer ${min}-${max}`);
  }
  return n;
}

const page = <T>(list: T[], offset: number, limit: number) => list.slice(offset, offset + limit);

/** The answer of one request: [status, body]. Throws Fault for documented errors. */
export function route(
  state: FakeHighLevelState,
  method: string,
  url: URL,
  body: Rec | null,
): [number, unknown] {
  const w = state.world;
  const p = url.pathname.replace(/\/+$/, "") || "/";
  const q = url.searchParams;
  const orderQuery = () => {
    if (q.get("altId") !== w.locationId) throw unprocessable("altId must be the location id");
    if (state.legacyAltType && q.get("altType") !== "location") {
      throw unprocessable("altType must be location");
    }
    if (!state.legacyAltType && q.has("altType")) throw unprocessable("property altType should not exist");
  };
  if (method === "GET" && p === "/products") {
    if (q.get("locationId") !== w.locationId) throw unprocessable("locationId is required");
    const limit = intParam(q.get("limit"), 100, 1, 100, "limit");
    const offset = intParam(q.get("offset"), 0, 0, 1e9, "offset");
    return [200, { products: page(w.products, offset, limit), total: [{ total: w.products.length }] }];
  }
  let m = /^\/products\/([^/]+)\/price$/.exec(p);
  if (method === "GET" && m) {
    const prices = w.prices.get(decodeURIComponent(m[1]));
    if (!prices) throw badRequest("Product not found");
    const limit = intParam(q.get("limit"), 100, 1, 100, "limit");
    const offset = intParam(q.get("offset"), 0, 0, 1e9, "offset");
    return [200, { prices: page(prices, offset, limit), total: prices.length }];
  }
  m = /^\/products\/([^/]+)$/.exec(p);
  if (method === "GET" && m) {
    const r = w.products.find((x) => x._id === decodeURIComponent(m![1]));
    if (!r) throw badRequest("Product not found");
    return [200, r];
  }
  if (method === "GET" && p === "/payments/orders") {
    orderQuery();
    const limit = intParam(q.get("limit"), 10, 1, 100, "limit");
    const offset = intParam(q.get("offset"), 0, 0, 1e9, "offset");
    // newest first, as HighLevel lists them
    const sorted = [...w.orders].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
    return [200, { data: page(sorted, offset, limit).map(orderSummary), totalCount: w.orders.length }];
  }
  m = /^\/payments\/orders\/([^/]+)$/.exec(p);
  if (method === "GET" && m) {
    orderQuery();
    const r = w.orders.find((x) => x._id === decodeURIComponent(m![1]));
    if (!r) throw badRequest("Order not found");
    return [200, r];
  }
  if (method === "POST" && p === "/contacts/search") return [200, searchContacts(state, body)];
  m = /^\/contacts\/([^/]+)$/.exec(p);
  if (method === "GET" && m) {
    const r = w.contacts.find((x) => x.id === decodeURIComponent(m![1]));
    if (!r) throw notFound("Contact not found");
    return [200, { contact: r }];
  }
  throw notFound(`Cannot ${method} ${p}`);
}

/**
 * Search Contacts: sorted by dateUpdated then id; `page`/`pageLimit` (window of 10,000) or
 * `searchAfter` (after the given [dateUpdated ms, id]); each contact carries its searchAfter.
 */
function searchContacts(state: FakeHighLevelState, body: Rec | null): Rec {
  const w = state.world;
  if (!body || body.locationId !== w.locationId) throw unprocessable("locationId is required");
  const pageLimit = Number(body.pageLimit ?? 20);
  if (!Number.isInteger(pageLimit) || pageLimit < 1 || pageLimit > 500) {
    throw unprocessable("pageLimit must be 1-500");
  }
  let list = [...w.contacts];
  for (const f of (body.filters ?? []) as Rec[]) {
    if (f.field !== "dateUpdated" || f.operator !== "range") {
      throw unprocessable(`unsupported filter ${f.field}`);
    }
    const v = f.value as { gte?: string; lte?: string };
    list = list.filter((c) =>
      (!v.gte || String(c.dateUpdated) >= v.gte) && (!v.lte || String(c.dateUpdated) <= v.lte)
    );
  }
  list.sort((a, b) =>
    String(a.dateUpdated).localeCompare(String(b.dateUpdated)) || String(a.id).localeCompare(String(b.id))
  );
  let out: Rec[];
  if (Array.isArray(body.searchAfter)) {
    const [t, id] = body.searchAfter as [number, string];
    out = list.filter((c) => {
      const ct = Date.parse(String(c.dateUpdated));
      return ct > t || (ct === t && String(c.id) > id);
    }).slice(0, pageLimit);
  } else {
    const pg = Number(body.page ?? 1);
    if (!Number.isInteger(pg) || pg < 1) throw unprocessable("page must be >= 1");
    if (pg * pageLimit > 10_000) throw unprocessable("page * pageLimit beyond 10000: use searchAfter");
    out = page(list, (pg - 1) * pageLimit, pageLimit);
  }
  const withAfter = out.map((c) => ({ ...c, searchAfter: [Date.parse(String(c.dateUpdated)), c.id] }));
  state.afterSearch?.(out, ++state.searchCalls);
  return { contacts: withAfter, count: list.length };
}
