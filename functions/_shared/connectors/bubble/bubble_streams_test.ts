import assert from "node:assert/strict";
import { FAKE_BUBBLE_TOKEN, startFakeBubble } from "../../../../tests/fakes/bubble/mod.ts";
import type { FetchContext } from "../../engine/connector.ts";
import { HttpError, ValidationError } from "../../engine/errors.ts";
import { defaultHttpPolicy, HttpClient } from "../../engine/http.ts";
import { parseBubbleConfig } from "./config.ts";
import { bubbleConnector, bubbleTypesFromEnv } from "./mod.ts";
import { bubbleStreams, typeStream } from "./streams.ts";

function ctx(
  url: string,
  over: Partial<FetchContext> = {},
  config: Record<string, unknown> = {},
): FetchContext {
  const cfg = { apiToken: FAKE_BUBBLE_TOKEN, appUrl: "https://x.bubbleapps.io", baseUrl: url, ...config };
  return {
    http: new HttpClient("bubble", url, bubbleConnector(["user"]).headers(cfg), {
      ...defaultHttpPolicy,
      baseDelayMs: 1,
      maxDelayMs: 2,
    }),
    config: cfg,
    since: null,
    until: null,
    pageSize: 100,
    ...over,
  };
}

Deno.test("pages ask for at most 100, sorted by Modified Date, until remaining is 0", async () => {
  const fake = startFakeBubble({ types: { user: 250 } });
  try {
    const s = typeStream("user");
    const c = ctx(fake.url, { pageSize: 500 });
    const first = await s.fetchPage(c, null);
    assert.equal(first.records.length, 100);
    assert.equal(first.nextCursor, "100");
    assert.equal(first.total, 250);
    const second = await s.fetchPage(c, first.nextCursor);
    const third = await s.fetchPage(c, second.nextCursor);
    assert.equal(third.records.length, 50);
    assert.equal(third.nextCursor, null);
    const url = new URL("http://h" + fake.state.requests.urls[0]);
    assert.equal(url.pathname, "/api/1.1/obj/user");
    assert.equal(url.searchParams.get("limit"), "100");
    assert.equal(url.searchParams.get("sort_field"), "Modified Date");
    assert.equal(url.searchParams.get("constraints"), null);
    const dates = [...first.records, ...second.records, ...third.records].map((r) =>
      Date.parse((r as Record<string, string>)["Modified Date"])
    );
    assert.deepEqual(dates, [...dates].sort((a, b) => a - b));
  } finally {
    await fake.close();
  }
});

Deno.test("incremental reads send a greater-than constraint on Modified Date", async () => {
  const fake = startFakeBubble({ types: { user: 40 } });
  try {
    const touched = fake.state.touch("user", 3);
    const all = fake.state.records.get("user")!;
    const newestUntouched = Math.max(
      ...all.filter((r) => !touched.includes(String(r._id))).map((r) =>
        Date.parse(String(r["Modified Date"]))
      ),
    );
    const window = new Date(newestUntouched + 1);
    const page = await typeStream("user").fetchPage(ctx(fake.url, { since: window }), null);
    assert.deepEqual(page.records.map((r) => (r as { _id: string })._id).sort(), [...touched].sort());
    const q = new URL("http://h" + fake.state.requests.urls[0]).searchParams;
    assert.deepEqual(JSON.parse(q.get("constraints")!), [
      { key: "Modified Date", constraint_type: "greater than", value: window.toISOString() },
    ]);
  } finally {
    await fake.close();
  }
});

Deno.test("the fake refuses a limit above 100 with 400, a bad token with 401", async () => {
  const fake = startFakeBubble();
  try {
    const res = await fetch(`${fake.url}/api/1.1/obj/user?limit=101`, {
      headers: { authorization: `Bearer ${FAKE_BUBBLE_TOKEN}` },
    });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).body.status, "INVALID_DATA");
    await assert.rejects(
      typeStream("user").fetchPage(ctx(fake.url, {}, { apiToken: "wrong" }), null),
      (e) => e instanceof HttpError && e.httpStatus === 401,
    );
  } finally {
    await fake.close();
  }
});

Deno.test("a 429 is retried and the page still arrives", async () => {
  const fake = startFakeBubble({ types: { user: 5 } });
  try {
    fake.state.rateLimitNext(2);
    const page = await typeStream("user").fetchPage(ctx(fake.url), null);
    assert.equal(page.records.length, 5);
    assert.equal(fake.state.requests.total, 3);
  } finally {
    await fake.close();
  }
});

Deno.test("fetchOne reads /obj/<type>/<id>; 404 is null", async () => {
  const fake = startFakeBubble({ types: { orderitem: 3 } });
  try {
    const s = typeStream("Order Item");
    const id = fake.state.keys("orderitem")[1];
    const one = await s.fetchOne!(ctx(fake.url), id) as Record<string, unknown>;
    assert.equal(one._id, id);
    assert.equal(await s.fetchOne!(ctx(fake.url), "nope"), null);
    assert.deepEqual(s.toRow(s.schema.parse(one)), {
      type: "orderitem",
      id,
      created_at: one["Created Date"],
      modified_at: one["Modified Date"],
      raw: one,
    });
  } finally {
    await fake.close();
  }
});

Deno.test("config: env-style types list, appUrl required, streams outside the account's types refused", async () => {
  assert.deepEqual(
    parseBubbleConfig({ apiToken: "t", appUrl: "https://a.bubbleapps.io", types: "user, Order Item" }).types,
    [
      "user",
      "Order Item",
    ],
  );
  assert.throws(() => parseBubbleConfig({ apiToken: "t" }), ValidationError);
  assert.throws(() => parseBubbleConfig({ appUrl: "https://a.bubbleapps.io" }), ValidationError);
  const c = ctx("http://127.0.0.1:9", {}, { types: ["user"] });
  await assert.rejects(typeStream("Order Item").fetchPage(c, null), ValidationError);
});

Deno.test("streams: one per type, snake-case names, all into bubble.records; BUBBLE_TYPES read safely", () => {
  const streams = bubbleStreams(["user", "Order Item"]);
  assert.deepEqual(streams.map((s) => [s.name, s.target]), [["user", "bubble.records"], [
    "order_item",
    "bubble.records",
  ]]);
  assert.throws(() => bubbleStreams(["Order Item", "orderItem"]), RangeError);
  assert.throws(() => bubbleStreams([]), RangeError);
  assert.deepEqual(bubbleTypesFromEnv(() => " user ,Order Item,, "), ["user", "Order Item"]);
  assert.deepEqual(bubbleTypesFromEnv(() => undefined), ["user"]);
  assert.deepEqual(
    bubbleTypesFromEnv(() => {
      throw new Deno.errors.NotCapable("no env");
    }),
    ["user"],
  );
});
