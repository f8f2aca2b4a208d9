import assert from "node:assert/strict";
import { FAKE_SQUARE_TOKEN, startFakeSquare } from "./mod.ts";

const auth = { authorization: `Bearer ${FAKE_SQUARE_TOKEN}`, "content-type": "application/json" };
const post = (url: string, body: unknown, headers: Record<string, string> = auth) =>
  fetch(url, { method: "POST", headers, body: JSON.stringify(body) });

Deno.test("the fake Square answers 401 in Square's error shape without the bearer token", async () => {
  const fake = startFakeSquare({ orders: 10 });
  try {
    const res = await fetch(`${fake.url}/v2/locations`, { headers: { authorization: "Bearer wrong" } });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), {
      errors: [{
        category: "AUTHENTICATION_ERROR",
        code: "UNAUTHORIZED",
        detail: "This request could not be authorized.",
      }],
    });
    assert.equal(fake.state.requests["GET /v2/locations"], 1);
  } finally {
    await fake.close();
  }
});

Deno.test("the fake rejects limits over Square's maxima, too many locations, and foreign cursors", async () => {
  const fake = startFakeSquare({ orders: 50, locations: 11 });
  try {
    const locs = fake.state.keys("locations");
    const tooMany = await post(`${fake.url}/v2/orders/search`, { location_ids: locs });
    assert.equal(tooMany.status, 400);
    assert.equal((await tooMany.json()).errors[0].code, "ARRAY_LENGTH_TOO_LONG");
    const big = await post(`${fake.url}/v2/orders/search`, { location_ids: locs.slice(0, 2), limit: 501 });
    assert.equal((await big.json()).errors[0].code, "VALUE_TOO_HIGH");
    const payments = await fetch(`${fake.url}/v2/payments?limit=101`, { headers: auth });
    assert.equal(payments.status, 400);
    await payments.body?.cancel();
    const p1 =
      await (await post(`${fake.url}/v2/orders/search`, { location_ids: locs.slice(0, 10), limit: 5 }))
        .json();
    assert.equal(p1.orders.length, 5);
    const other = await post(`${fake.url}/v2/orders/search`, {
      location_ids: locs.slice(0, 9),
      limit: 5,
      cursor: p1.cursor,
    });
    assert.equal((await other.json()).errors[0].code, "INVALID_CURSOR");
  } finally {
    await fake.close();
  }
});

Deno.test("the fake rate-limits on demand with Retry-After", async () => {
  const fake = startFakeSquare({ orders: 10 });
  try {
    fake.state.rateLimitNext = 1;
    fake.state.retryAfterSeconds = 2;
    const limited = await fetch(`${fake.url}/v2/locations`, { headers: auth });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "2");
    assert.equal((await limited.json()).errors[0].code, "RATE_LIMITED");
    const ok = await fetch(`${fake.url}/v2/locations`, { headers: auth });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  } finally {
    await fake.close();
  }
});

Deno.test("the fake's data is deterministic per seed; touch and malform change exactly the named records", async () => {
  const a = startFakeSquare({ seed: 3, orders: 100 });
  const b = startFakeSquare({ seed: 3, orders: 100 });
  try {
    const ta = a.state.world.tables.orders, tb = b.state.world.tables.orders;
    assert.deepEqual(ta.record(42), tb.record(42));
    const [id] = a.state.touch("orders", [ta.id(42)]);
    assert.equal(id, ta.id(42));
    const touched = ta.record(42) as { updated_at: string; version: number; reference_id: string };
    assert.equal(touched.version, 2);
    assert.equal(touched.reference_id, "touch-1");
    assert.ok(Date.parse(touched.updated_at) > ta.maxUpdated() - 1);
    a.state.malform("orders", [id]);
    assert.equal((ta.record(42) as { created_at: string }).created_at, "not-a-timestamp");
    a.state.heal();
    assert.notEqual((ta.record(42) as { created_at: string }).created_at, "not-a-timestamp");
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("the fake's SearchOrders follows Square's sort rules: an edit moves an order in UPDATED_AT order only", async () => {
  const fake = startFakeSquare({ seed: 5, orders: 40, locations: 1 });
  try {
    const loc = fake.state.keys("locations");
    const search = async (body: Record<string, unknown>) => {
      const res = await post(`${fake.url}/v2/orders/search`, { location_ids: loc, ...body });
      return { status: res.status, body: await res.json() };
    };
    const walk = async (sort: Record<string, unknown>, filter?: Record<string, unknown>) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let page = 0;
      do {
        const r = await search({ limit: 10, query: { sort, ...(filter ? { filter } : {}) }, cursor });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        seen.push(...(r.body.orders ?? []).map((o: { id: string }) => o.id));
        cursor = r.body.cursor;
        // after the first page, two orders already read are edited
        if (page++ === 0) {
          await new Promise((r) => setTimeout(r, 2));
          fake.state.touch("orders", seen.slice(0, 2));
        }
      } while (cursor);
      return seen;
    };
    // default: CREATED_AT, DESC
    const byDefault = (await search({ limit: 40 })).body.orders.map((o: { created_at: string }) =>
      o.created_at
    );
    assert.deepEqual(byDefault, [...byDefault].sort().reverse());
    // sorted by creation time an edit moves nothing: every order once
    const created = await walk({ sort_field: "CREATED_AT", sort_order: "ASC" });
    assert.equal(new Set(created).size, 40);
    assert.equal(created.length, 40);
    // sorted by updated time the edited orders move to the end: the orders after them shift, two
    // are skipped, and the edited two are read again
    const updated = await walk({ sort_field: "UPDATED_AT", sort_order: "ASC" });
    assert.equal(updated.length, 40);
    assert.equal(new Set(updated).size, 38);
    // a range without end_at ends at the cursor's first request: orders edited later drop out
    const since = { date_time_filter: { updated_at: { start_at: "2000-01-01T00:00:00Z" } } };
    const windowed = await walk({ sort_field: "UPDATED_AT", sort_order: "ASC" }, since);
    assert.ok(windowed.length < 40, `${windowed.length} orders`);
    // the documented constraints
    const mismatch = await search({
      query: { filter: { date_time_filter: { updated_at: { start_at: "2026-01-01T00:00:00Z" } } } },
    });
    assert.equal(mismatch.status, 400);
    const closed = await search({ query: { sort: { sort_field: "CLOSED_AT" } } });
    assert.equal(closed.status, 400);
    assert.match(closed.body.errors[0].detail, /state_filter with closed states/);
  } finally {
    await fake.close();
  }
});
