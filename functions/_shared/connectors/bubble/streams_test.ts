import assert from "node:assert/strict";
import { FAKE_BUBBLE_TOKEN, startFakeBubble } from "../../../../tests/fakes/bubble/mod.ts";
import type { FetchContext } from "../../engine/connector/mod.ts";
import { HttpError, ValidationError } from "../../engine/errors.ts";
import { defaultHttpPolicy, HttpClient } from "../../engine/http/mod.ts";
import { parseBubbleConfig } from "./config.ts";
import { bubbleConnector, bubbleFromSettings, bubbleTypesFrom } from "./mod.ts";
import { bubbleStreams, typeStream } from "./streams.ts";

function ctx(
  url: string,
  over: Partial<FetchContext> = {},
  config: Record<string, unknown> = {},
): FetchContext {
  const cfg = { apiToken: FAKE_BUBBLE_TOKEN, appUrl: "https://x.bubbleapps.io", baseUrl: url, ...config };
  return {
    http: new HttpClient({
      source: "bubble",
      baseUrl: url,
      headers: bubbleConnector(["user"]).headers(cfg),
      policy: {
        ...defaultHttpPolicy,
        baseDelayMs: 1,
        maxDelayMs: 2,
      },
    }),
    config: cfg,
    since: null,
    until: null,
    pageSize: 100,
    ...over,
  };
}

Deno.test("pages ask for at most 100, in Created Date order, until remaining is 0", async () => {
  const fake = startFakeBubble({ types: { user: 250 } });
  try {
    const s = typeStream("user");
    const c = ctx(fake.url, { pageSize: 500 });
    const first = await s.fetchPage(c, null);
    assert.equal(first.records.length, 100);
    assert.equal(first.total, 250);
    const second = await s.fetchPage(c, first.nextCursor);
    assert.equal(second.total, 250);
    const third = await s.fetchPage(c, second.nextCursor);
    assert.equal(third.records.length, 50);
    assert.equal(third.nextCursor, null);
    const url = new URL("http://h" + fake.state.requests.urls[0]);
    assert.equal(url.pathname, "/api/1.1/obj/user");
    assert.equal(url.searchParams.get("limit"), "100");
    assert.equal(url.searchParams.get("sort_field"), "Created Date");
    assert.equal(url.searchParams.get("constraints"), null);
    const all = [...first.records, ...second.records, ...third.records] as Record<string, string>[];
    assert.equal(new Set(all.map((r) => r._id)).size, 250);
    const dates = all.map((r) => Date.parse(r["Created Date"]));
    assert.deepEqual(dates, [...dates].sort((a, b) => a - b));
  } finally {
    await fake.close();
  }
});

Deno.test("no thing is skipped or read twice when things are edited, deleted and created during the read", async () => {
  // after every page: the first thing already read is edited (Modified Date now), one already read
  // is deleted, and a new thing is created. Offset paging sorted by Modified Date lost one thing
  // per edit at the page boundary (issue 10, 3b).
  let page = 0;
  const read = new Set<string>();
  const created: string[] = [];
  const fake = startFakeBubble({
    types: { user: 430 },
    onList(type, state) {
      page++;
      const list = state.records.get(type)!;
      const behind = list.filter((r) => read.has(String(r._id)));
      if (behind.length < 3) return;
      state.touch(type, [String(behind[0]._id), String(behind[behind.length - 1]._id)]);
      if (page % 2 === 0) state.remove(type, String(behind[1]._id));
      const now = new Date(Date.parse("2027-01-01T00:00:00Z") + page * 1000).toISOString();
      const id = `new${page}`;
      created.push(id);
      list.push({ _id: id, "Created Date": now, "Modified Date": now, name: `new ${page}` });
    },
  });
  try {
    const before = new Set(fake.state.keys("user"));
    const s = typeStream("user");
    const c = ctx(fake.url, { pageSize: 50 });
    let cursor: string | null = null;
    const ids: string[] = [];
    do {
      const p = await s.fetchPage(c, cursor);
      for (const r of p.records as { _id: string }[]) {
        ids.push(r._id);
        read.add(r._id);
      }
      cursor = p.nextCursor;
    } while (cursor !== null);
    const missed = [...before].filter((id) => !read.has(id));
    assert.deepEqual(missed, [], `things that existed all along were skipped: ${missed.length}`);
    assert.equal(ids.length, new Set(ids).size, "no thing is read twice");
    assert.ok(page >= 9);
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

Deno.test("streams: one per type, snake-case names, all into bubble.records; BUBBLE_TYPES read from the settings", () => {
  const streams = bubbleStreams(["user", "Order Item"]);
  assert.deepEqual(streams.map((s) => [s.name, s.target]), [["user", "bubble.records"], [
    "order_item",
    "bubble.records",
  ]]);
  assert.throws(() => bubbleStreams(["Order Item", "orderItem"]), RangeError);
  assert.throws(() => bubbleStreams([]), RangeError);
  assert.deepEqual(bubbleTypesFrom(" user ,Order Item,, "), ["user", "Order Item"]);
  assert.deepEqual(bubbleTypesFrom(undefined), ["user"]);
});

Deno.test("a Bubble setting that makes no connector is reported and the default types are used", () => {
  const lines: string[] = [];
  const c = bubbleFromSettings({ types: "user", model: "nope" }, (l) => lines.push(l));
  assert.deepEqual(c.streams.map((s) => s.name), ["user"]);
  assert.match(lines[0], /Unknown BUBBLE_MODEL "nope"/);
  assert.deepEqual(bubbleFromSettings({ types: "Order Item" }).streams.map((s) => s.name), ["order_item"]);
});
