// The fake HighLevel's mutable state and the knobs tests turn: change records, add orders,
// react to requests (edits during paging), inject faults.
import type { Rec, World } from "./data.ts";

export type FakeStream = "products" | "prices" | "contacts" | "orders";

export interface FakeHighLevelState {
  readonly world: World;
  /** Requests by "METHOD /path" (ids folded to :id), and "total". */
  readonly requests: Record<string, number>;
  /** Every request's path and query (and POST body), in order. */
  readonly log: { method: string; path: string; query: Record<string, string>; body?: unknown }[];
  rateLimitMax: number;
  rateLimitIntervalMs: number;
  /** Older API: the order routes require altType=location (the current docs dropped it). */
  legacyAltType: boolean;
  /** Contact searches answered so far. */
  searchCalls: number;
  /** Called after each contact search page is computed, before it is sent: edits during paging. */
  afterSearch?: (page: Rec[], call: number) => void;
  /** Answers instead of the route when it returns a Response (fault injection). */
  intercept?: (req: Request, url: URL) => Response | null;
  keys(stream: FakeStream): string[];
  /** Changes records (newer updated time, a changed field); returns their keys. */
  touch(stream: FakeStream, which: string[] | number): string[];
  /** Replaces fields of an order (items, status, ...) and bumps its updatedAt; returns it. */
  updateOrder(id: string, patch: Rec): Rec;
  /** Adds an order; returns it. */
  addOrder(order: Rec): Rec;
  /** Replaces fields of a product and bumps its updatedAt. */
  updateProduct(id: string, patch: Rec): Rec;
}

const idField: Record<FakeStream, string> = { products: "_id", prices: "_id", contacts: "id", orders: "_id" };
const updatedField: Record<FakeStream, string> = {
  products: "updatedAt",
  prices: "updatedAt",
  contacts: "dateUpdated",
  orders: "updatedAt",
};

export function createState(
  world: World,
  opts: { rateLimitMax?: number; rateLimitIntervalMs?: number; legacyAltType?: boolean },
  now: () => number,
): FakeHighLevelState {
  let last = 0;
  const records = (s: FakeStream): Rec[] => s === "prices" ? [...world.prices.values()].flat() : world[s];
  const tick = () => {
    let max = 0;
    for (const s of ["products", "prices", "contacts", "orders"] as FakeStream[]) {
      for (const r of records(s)) max = Math.max(max, Date.parse(r[updatedField[s]] as string));
    }
    last = Math.max(now(), max + 1000, last + 1000);
    return new Date(last).toISOString();
  };
  const state: FakeHighLevelState = {
    world,
    requests: { total: 0 },
    log: [],
    rateLimitMax: opts.rateLimitMax ?? 100,
    rateLimitIntervalMs: opts.rateLimitIntervalMs ?? 10_000,
    legacyAltType: opts.legacyAltType ?? false,
    searchCalls: 0,
    keys: (s) => records(s).map((r) => String(r[idField[s]])),
    touch(s, which) {
      const list = records(s);
      const picked = typeof which === "number"
        ? Array.from(
          { length: Math.min(which, list.length) },
          (_, i) => list[Math.floor(i * list.length / which)],
        )
        : which.map((id) => list.find((r) => r[idField[s]] === id)).filter((r): r is Rec => Boolean(r));
      for (const r of picked) {
        const at = tick();
        r[updatedField[s]] = at;
        if (s === "contacts") r.companyName = `Touched ${at}`;
        else if (s === "orders") r.source = { ...(r.source as Rec), name: `Touched ${at}` };
        else r.description = `Touched ${at}`;
      }
      return picked.map((r) => String(r[idField[s]]));
    },
    updateOrder(id, patch) {
      const o = world.orders.find((r) => r._id === id);
      if (!o) throw new Error(`fake HighLevel has no order "${id}"`);
      Object.assign(o, patch, { updatedAt: tick() });
      return o;
    },
    addOrder(order) {
      const o = {
        altId: world.locationId,
        altType: "location",
        status: "completed",
        currency: "USD",
        items: [],
        createdAt: tick(),
        ...order,
        updatedAt: tick(),
      };
      world.orders.push(o);
      return o;
    },
    updateProduct(id, patch) {
      const p = world.products.find((r) => r._id === id);
      if (!p) throw new Error(`fake HighLevel has no product "${id}"`);
      Object.assign(p, patch, { updatedAt: tick() });
      return p;
    },
  };
  return state;
}
