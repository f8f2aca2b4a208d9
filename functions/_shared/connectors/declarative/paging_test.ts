// Each pagination style, parent/child streams, date windows and the auth styles, against a fake
// that pages the same records every way (tests/fakes/styles).
import assert from "node:assert/strict";
import { readAll } from "../../../../tests/conformance/suite.ts";
import { makeItems, startFakeStyles } from "../../../../tests/fakes/styles/mod.ts";
import type { FetchContext, StreamDef } from "../../engine/connector/mod.ts";
import { HttpClient } from "../../engine/http/mod.ts";
import { declarativeConnector } from "./mod.ts";
import { decodeCursor, encodeCursor, nextPosition, parseLinkHeader } from "./paging.ts";
import type { ConnectorSpecInput } from "./spec.ts";

const fields = {
  id: { type: "text" },
  grp: { type: "text", path: "group" },
  updated_at: { type: "timestamptz" },
  n: { type: "integer" },
} as const;

function spec(
  url: string,
  streams: ConnectorSpecInput["streams"],
  auth: ConnectorSpecInput["auth"] = { type: "none" },
) {
  return { name: "styles", baseUrl: url, auth, streams } satisfies ConnectorSpecInput;
}

function ctx(
  url: string,
  headers: Record<string, string> = {},
  over: Partial<FetchContext> = {},
): FetchContext {
  return {
    http: new HttpClient({ source: "styles", baseUrl: url, headers }),
    config: {},
    since: null,
    until: null,
    pageSize: 10,
    ...over,
  };
}

const ids = (records: unknown[]) => records.map((r) => (r as { id: string }).id);

Deno.test("every pagination style reads each record exactly once", async () => {
  const fake = startFakeStyles();
  try {
    const c = declarativeConnector(spec(fake.url, {
      page: {
        path: "/page",
        records: "items",
        pagination: { type: "page", sizeParam: "size", totalPagesPath: "pages" },
        key: ["id"],
        fields,
      },
      page_short: {
        path: "/page",
        records: "items",
        pagination: { type: "page", sizeParam: "size" },
        key: ["id"],
        fields,
      },
      offset: {
        path: "/offset",
        records: "results",
        total: "count",
        pagination: { type: "offset", totalPath: "count" },
        key: ["id"],
        fields,
      },
      cursor: {
        method: "POST",
        path: "/cursor",
        body: {},
        records: "data.rows",
        pagination: { type: "cursor", path: "next", sizeParam: "limit", in: "body" },
        key: ["id"],
        fields,
      },
      next: {
        path: "/next",
        records: "records",
        pagination: { type: "next_url", path: "paging.next", sizeParam: "per" },
        key: ["id"],
        fields,
      },
      link: {
        path: "/link",
        pagination: { type: "link_header", sizeParam: "per_page" },
        key: ["id"],
        fields,
      },
    }));
    const all = ids(fake.items);
    for (const s of c.streams) {
      const got = await readAll(s, ctx(fake.url));
      assert.deepEqual(ids(got), all, `style ${s.name}`);
    }
    const first = await c.streams[2].fetchPage(ctx(fake.url), null);
    assert.equal(first.total, 53);
    assert.ok(fake.requests.some((r) => r === "GET /page?size=10&page=6"));
    assert.ok(fake.requests.some((r) => r === "GET /link?at=50&per_page=10"));
  } finally {
    await fake.close();
  }
});

Deno.test("a child stream reads once per parent record, with the parent's field in the path", async () => {
  const fake = startFakeStyles();
  try {
    const c = declarativeConnector(spec(fake.url, {
      groups: { path: "/groups", records: "groups", key: ["name"], fields: { name: { type: "text" } } },
      items: {
        path: "/groups/{parent.name}/items",
        records: "items",
        pagination: { type: "page", sizeParam: "size" },
        parent: { stream: "groups", field: "name" },
        key: ["id"],
        fields,
      },
    }));
    const items = c.streams[1];
    assert.deepEqual(items.parents, ["groups"]);
    const got = await readAll(items, ctx(fake.url));
    assert.deepEqual(ids(got).sort(), ids(fake.items).sort());
    // one parent listing per run, then each group's pages in key order
    assert.equal(fake.requests.filter((r) => r.startsWith("GET /groups?") || r === "GET /groups").length, 1);
    const order = fake.requests.filter((r) => r.includes("/items")).map((r) => r.split("/")[2]);
    assert.deepEqual([...new Set(order)], ["a", "b", "c"]);
  } finally {
    await fake.close();
  }
});

/** /windowed read month by month from 2024-01-01, filtered by from/to days (to inclusive). */
function windowedConnector(url: string) {
  return declarativeConnector(spec(url, {
    items: {
      path: "/windowed",
      records: "items",
      pagination: { type: "page", sizeParam: "size" },
      key: ["id"],
      incremental: {
        cursorField: "updated_at",
        filter: { start: "from", end: "to", format: "date", endInclusive: true },
      },
      windows: { step: "month", start: "2024-01-01" },
      fields,
    },
  }));
}

Deno.test("date windows: month by month, the end inclusive, the day filter trimmed to the instant", async () => {
  const fake = startFakeStyles({ items: makeItems(40) });
  try {
    const c = windowedConnector(fake.url);
    const s = c.streams[0];
    const until = new Date("2024-06-01T00:00:00Z");
    const got = await readAll(s, ctx(fake.url, {}, { until }));
    assert.deepEqual(ids(got), ids(fake.items.filter((i) => i.updated_at < "2024-06-01")));
    const windows = fake.requests.filter((r) => r.includes("page=1")).map((r) =>
      new URL(`http://h${r.slice(4)}`)
    )
      .map((u) => `${u.searchParams.get("from")}..${u.searchParams.get("to")}`);
    assert.deepEqual(windows, [
      "2024-01-01..2024-01-31",
      "2024-02-01..2024-02-29",
      "2024-03-01..2024-03-31",
      "2024-04-01..2024-04-30",
      "2024-05-01..2024-05-31",
    ]);
    // since in the middle of a day: the API answers the whole day, the stream only what is newer
    const since = new Date(fake.items[20].updated_at);
    const later = await readAll(s, ctx(fake.url, {}, { since, until }));
    assert.deepEqual(
      ids(later),
      ids(fake.items.filter((i) => i.updated_at >= since.toISOString() && i.updated_at < "2024-06-01")),
    );
  } finally {
    await fake.close();
  }
});

Deno.test("a window cursor resumes at its window, parent and page", async () => {
  const fake = startFakeStyles({ items: makeItems(40) });
  try {
    const c = windowedConnector(fake.url);
    const s: StreamDef = c.streams[0];
    const context = ctx(fake.url, {}, { until: new Date("2024-06-01T00:00:00Z"), pageSize: 3 });
    let cursor: string | null = null;
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await s.fetchPage(context, cursor);
      seen.push(...ids(p.records));
      cursor = p.nextCursor;
    }
    const at = decodeCursor(cursor!);
    assert.equal(at.from, "2024-01-01T00:00:00.000Z");
    assert.equal(at.to, "2024-06-01T00:00:00.000Z");
    assert.equal(at.window, "2024-02-01T00:00:00.000Z");
    // a new process (new context) goes on from the saved cursor, without re-reading January
    fake.requests.length = 0;
    const rest = await readAllFrom(s, ctx(fake.url, {}, { pageSize: 3 }), cursor);
    assert.ok(!fake.requests.some((r) => r.includes("from=2024-01-01")));
    assert.deepEqual([...seen, ...ids(rest)], ids(fake.items.filter((i) => i.updated_at < "2024-06-01")));
  } finally {
    await fake.close();
  }
});

async function readAllFrom(s: StreamDef, c: FetchContext, cursor: string | null): Promise<unknown[]> {
  const out: unknown[] = [];
  do {
    const p = await s.fetchPage(c, cursor);
    out.push(...p.records);
    cursor = p.nextCursor;
  } while (cursor !== null);
  return out;
}

Deno.test("auth: bearer, header key, query key and basic reach the API; a missing key names its setting", async () => {
  const fake = startFakeStyles({
    auth: (req, url) =>
      req.headers.get("authorization") === "Bearer t0k" || req.headers.get("x-key") === "k1" ||
      url.searchParams.get("key") === "q2" || req.headers.get("authorization") === `Basic ${btoa("u:p")}`,
  });
  try {
    const stream = { path: "/offset", records: "results", key: ["id"], fields };
    const cases: [ConnectorSpecInput["auth"], Record<string, unknown>][] = [
      [{ type: "bearer", token: "token" }, { token: "t0k" }],
      [{ type: "header", header: "X-Key", key: "apiKey" }, { apiKey: "k1" }],
      [{ type: "query", param: "key", key: "apiKey" }, { apiKey: "q2" }],
      [{ type: "basic", username: "user", password: "password" }, { user: "u", password: "p" }],
    ];
    for (const [auth, config] of cases) {
      const c = declarativeConnector(spec(fake.url, { s: stream }, auth));
      const page = await c.streams[0].fetchPage(ctx(fake.url, c.headers(config), { config }), null);
      assert.equal(page.records.length, 10, auth.type);
    }
    const c = declarativeConnector(
      spec(fake.url, { s: stream }, { type: "header", header: "X-Key", key: "apiKey" }),
    );
    assert.throws(() => c.headers({}), /apiKey: required \(set STYLES_API_KEY\)/);
  } finally {
    await fake.close();
  }
});

Deno.test("fetchOne fills {id}, unwraps the record and maps 404 to null", async () => {
  const fake = startFakeStyles();
  try {
    const c = declarativeConnector(spec(fake.url, {
      items: {
        path: "/offset",
        records: "results",
        key: ["id"],
        fields,
        one: { path: "/items/{id}", record: "item" },
      },
    }));
    const one = await c.streams[0].fetchOne!(ctx(fake.url), "i0007");
    assert.equal((one as { n: number }).n, 7);
    assert.equal(await c.streams[0].fetchOne!(ctx(fake.url), "nope"), null);
  } finally {
    await fake.close();
  }
});

Deno.test("paging helpers: Link headers, cursors round-trip, a next URL off the API's origin is refused", async () => {
  assert.deepEqual(parseLinkHeader('<https://a/x?p=2>; rel="next", <https://a/x?p=1>; rel="prev first"'), {
    next: "https://a/x?p=2",
    prev: "https://a/x?p=1",
    first: "https://a/x?p=1",
  });
  const c = { from: "2024-01-01T00:00:00.000Z", to: null, window: null, parent: "ü/1", page: 3 };
  assert.deepEqual(decodeCursor(encodeCursor(c)), c);
  assert.throws(() => decodeCursor("dcl1.nope"), /Invalid declarative cursor/);
  assert.throws(() => decodeCursor("dcl1.[1, 2, 3, 4, -1]"), /Invalid declarative cursor/);
  const fake = startFakeStyles();
  try {
    const c2 = declarativeConnector(spec(fake.url, {
      s: {
        path: "/next",
        records: "records",
        pagination: { type: "next_url", path: "paging.next" },
        key: ["id"],
        fields,
      },
    }));
    const evil = encodeCursor({
      from: null,
      to: null,
      window: null,
      parent: null,
      page: "https://evil.example/steal",
    });
    await assert.rejects(c2.streams[0].fetchPage(ctx(fake.url), evil), /not on http:\/\/127\.0\.0\.1/);
  } finally {
    await fake.close();
  }
});

Deno.test("page numbers go on past a short page while the answer's last page or next URL says more", () => {
  const page = { type: "page", param: "page", firstPage: 1, in: "query" } as const;
  const short = { count: 2, size: 5, link: null };
  // IRIS's meta.last_page is text
  const last = { ...page, totalPagesPath: "meta.last_page" };
  assert.equal(nextPosition(last, 1, { ...short, body: { meta: { last_page: "3" } } }), 2);
  assert.equal(nextPosition(last, 3, { ...short, body: { meta: { last_page: "3" } } }), null);
  // a last page that is not a number falls back on the page's length
  assert.equal(nextPosition(last, 1, { ...short, body: { meta: { last_page: null } } }), null);
  const next = { ...page, nextPath: "links.next" };
  assert.equal(nextPosition(next, 1, { ...short, body: { links: { next: "https://x/?page=2" } } }), 2);
  assert.equal(nextPosition(next, 2, { ...short, body: { links: { next: null } } }), null);
  // a full page with links.next null is the end too
  assert.equal(
    nextPosition(next, 2, { count: 5, size: 5, link: null, body: { links: { next: null } } }),
    null,
  );
  // without either, a short page ends the listing (as before)
  assert.equal(nextPosition(page, 1, { ...short, body: {} }), null);
});
