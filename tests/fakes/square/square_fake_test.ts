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
