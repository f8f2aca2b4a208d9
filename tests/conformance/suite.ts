// The connector conformance suite: every connector runs it against its fake API. Per stream it
// checks full paging (each record exactly once), the record schema, toRow against the real
// target table, idempotent merges, incremental windows, fetchOne, the id listing (listIds),
// dependency order, and that a redirect to another origin fails the read without reaching it.
import assert from "node:assert/strict";
import {
  type Connector,
  type FetchContext,
  orderStreams,
  type StreamDef,
} from "../../functions/_shared/engine/connector/mod.ts";
import { HttpClient } from "../../functions/_shared/engine/http/mod.ts";
import { listAllIds } from "../../functions/_shared/engine/completeness/mod.ts";
import { createTestDatabase, type Sql } from "../_support/db.ts";

/** What the suite needs of a connector's fake API. */
export interface ConformanceFake {
  url: string;
  close(): void | Promise<void>;
  /** Every record key the fake holds for a stream: what a full read must return. */
  keys(stream: string): string[];
  /** Changes count records of a stream at the source (newer updated time); returns their keys. */
  touch(stream: string, count: number): string[];
}

export interface ConformanceOptions {
  connector: Connector;
  startFake(): ConformanceFake | Promise<ConformanceFake>;
  /** Connector config; the suite points baseUrl at the fake. */
  config: Record<string, unknown>;
  /** Records per page to ask for (small, so paging is exercised); default 50. */
  pageSize?: number;
  /** Streams to check; default all. */
  streams?: string[];
}

const BOOKKEEPING = new Set(["_first_synced_at", "_last_synced_at", "_source_updated_at", "_last_job_id"]);
const MAX_PAGES = 100_000;

function context(opts: ConformanceOptions, fake: ConformanceFake, since: Date | null): FetchContext {
  const config = { ...opts.config, baseUrl: fake.url };
  return {
    http: new HttpClient({
      source: opts.connector.name,
      baseUrl: fake.url,
      headers: opts.connector.headers(config),
    }),
    config,
    since,
    until: null,
    pageSize: opts.pageSize ?? 50,
  };
}

/** Reads a whole listing; fails on a repeated cursor (a paging loop). */
export async function readAll(stream: StreamDef, ctx: FetchContext): Promise<unknown[]> {
  const out: unknown[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (let n = 0; n < MAX_PAGES; n++) {
    const page = await stream.fetchPage(ctx, cursor);
    assert.ok(Array.isArray(page.records), `${stream.name}: page ${n} records is not an array`);
    out.push(...page.records);
    if (page.nextCursor === null) return out;
    assert.ok(
      !seen.has(page.nextCursor),
      `${stream.name}: cursor repeated after page ${n}: ${page.nextCursor}`,
    );
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
  }
  throw new Error(`${stream.name}: more than ${MAX_PAGES} pages`);
}

function parseAll(stream: StreamDef, records: unknown[]): unknown[] {
  return records.map((r, i) => {
    const parsed = stream.schema.safeParse(r);
    assert.ok(
      parsed.success,
      `${stream.name}: record ${i} fails the schema: ${parsed.error?.message} ${
        JSON.stringify(r).slice(0, 300)
      }`,
    );
    return parsed.data;
  });
}

function assertKeysOnce(stream: StreamDef, records: unknown[], expected: string[], what: string): void {
  const keys = records.map((r) => stream.key(r));
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  assert.equal(
    new Set(keys).size,
    keys.length,
    `${stream.name}: ${what} returned key "${dup}" more than once`,
  );
  assert.deepEqual(
    [...keys].sort(),
    [...expected].sort(),
    `${stream.name}: ${what} returned other records than the source holds`,
  );
}

async function targetShape(sql: Sql, target: string) {
  const [schema, table] = target.split(".");
  const cols = await sql<{ column_name: string }[]>`
    select column_name from information_schema.columns where table_schema = ${schema} and table_name = ${table}`;
  const [reg] = await sql<{ key_columns: string[]; version_column: string | null }[]>`
    select key_columns, version_column from sync.targets where target = ${target}`;
  assert.ok(reg, `target ${target} is not registered (sync.register_target)`);
  return { columns: new Set(cols.map((c) => c.column_name).filter((c) => !BOOKKEEPING.has(c))), ...reg };
}

/** A front for the fake answering every request with a 302 to another origin, which records what reaches it. */
function redirectTrap(fakeUrl: string) {
  const received: string[] = [];
  const other = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    received.push(`${req.method} ${new URL(req.url).pathname}`);
    return Response.json({});
  });
  const otherUrl = `http://127.0.0.1:${(other.addr as Deno.NetAddr).port}`;
  const front = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    return new Response(null, {
      status: 302,
      headers: { location: `${otherUrl}${url.pathname}${url.search}` },
    });
  });
  const base = new URL(fakeUrl);
  base.port = String((front.addr as Deno.NetAddr).port);
  base.hostname = "127.0.0.1";
  return {
    url: base.href.replace(/\/$/, fakeUrl.endsWith("/") ? "/" : ""),
    received,
    [Symbol.asyncDispose]: async () => {
      await front.shutdown();
      await other.shutdown();
    },
  };
}

async function merge(sql: Sql, target: string, rows: Record<string, unknown>[]) {
  const [{ r }] = await sql<{ r: Record<string, number> }[]>`
    select sync.merge_rows(${target}, ${sql.json(rows as never)}::jsonb) as r`;
  return r;
}

async function checkStream(opts: ConformanceOptions, stream: StreamDef, t: Deno.TestContext): Promise<void> {
  const fake = await opts.startFake();
  try {
    await using db = await createTestDatabase();
    let records: unknown[] = [];

    await t.step("full paging returns every record exactly once, each passing the schema", async () => {
      records = parseAll(stream, await readAll(stream, context(opts, fake, null)));
      assert.ok(records.length > 0, `${stream.name}: the fake returned no records`);
      assertKeysOnce(stream, records, fake.keys(stream.name), "a full read");
    });

    await t.step("a redirect to another origin fails the read; that origin receives no request", async () => {
      await using trap = redirectTrap(fake.url);
      await assert.rejects(
        stream.fetchPage(context(opts, { ...fake, url: trap.url }, null), null),
        /redirect 302 to another origin/,
      );
      assert.deepEqual(trap.received, [], `${stream.name}: the other origin was sent a request`);
    });

    const rows = records.map((r) => stream.toRow(r));
    await t.step("toRow yields only target columns, with the key and the version column", async () => {
      const shape = await targetShape(db.sql, stream.target);
      for (const [i, row] of rows.entries()) {
        for (const col of Object.keys(row)) {
          assert.ok(
            shape.columns.has(col),
            `${stream.name}: row ${i} has column "${col}" that ${stream.target} lacks`,
          );
        }
        for (const col of [...shape.key_columns, ...(shape.version_column ? [shape.version_column] : [])]) {
          assert.ok(col in row, `${stream.name}: row ${i} lacks column "${col}"`);
        }
        for (const col of shape.key_columns) {
          assert.ok(row[col] != null, `${stream.name}: row ${i} has a null key "${col}"`);
        }
      }
    });

    await t.step("merging the rows inserts them all; merging again changes nothing", async () => {
      const first = await merge(db.sql, stream.target, rows);
      assert.deepEqual(first, { inserted: rows.length, updated: 0, unchanged: 0, stale: 0 });
      const second = await merge(db.sql, stream.target, rows);
      assert.deepEqual(second, { inserted: 0, updated: 0, unchanged: rows.length, stale: 0 });
    });

    if (stream.incremental !== "full" && stream.updatedAt) {
      await t.step("incremental paging returns only the records updated since", async () => {
        const newest = Math.max(...records.map((r) => Date.parse(stream.updatedAt!(r) ?? "")));
        assert.ok(Number.isFinite(newest), `${stream.name}: records carry no updated time`);
        const touched = fake.touch(stream.name, 3);
        const changed = parseAll(stream, await readAll(stream, context(opts, fake, new Date(newest + 1))));
        assertKeysOnce(stream, changed, touched, "an incremental read");
        const r = await merge(db.sql, stream.target, changed.map((c) => stream.toRow(c)));
        assert.deepEqual(r, { inserted: 0, updated: touched.length, unchanged: 0, stale: 0 });
      });
    }

    if (stream.listIds) {
      await t.step("listIds names exactly the keys of the full listing", async () => {
        const ids = await listAllIds(stream, context(opts, fake, null));
        assert.deepEqual([...ids].sort(), records.map((r) => stream.key(r)).sort());
      });
    }

    if (stream.fetchOne) {
      await t.step("fetchOne returns the record, and null for an unknown id", async () => {
        const ctx = context(opts, fake, null);
        const key = stream.key(records[0]);
        const one = await stream.fetchOne!(ctx, key);
        assert.ok(one !== null, `${stream.name}: fetchOne("${key}") found nothing`);
        assert.equal(stream.key(parseAll(stream, [one])[0]), key);
        assert.equal(await stream.fetchOne!(ctx, `${key}-no-such-record`), null);
      });
    }
  } finally {
    await fake.close();
  }
}

/** Registers the conformance tests of one connector. */
export function runConformance(name: string, opts: ConformanceOptions): void {
  Deno.test(`${name} conformance: orderStreams puts parents first`, () => {
    const order = orderStreams(opts.connector).map((s) => s.name);
    assert.equal(order.length, opts.connector.streams.length);
    for (const s of opts.connector.streams) {
      for (const p of s.parents ?? []) {
        assert.ok(order.indexOf(p) < order.indexOf(s.name), `${name}: parent "${p}" comes after "${s.name}"`);
      }
    }
  });

  Deno.test(`${name} conformance: streams have unique names and registered-looking targets`, () => {
    const names = opts.connector.streams.map((s) => s.name);
    assert.equal(new Set(names).size, names.length);
    for (const s of opts.connector.streams) assert.match(s.target, /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/);
  });

  for (const stream of opts.connector.streams) {
    if (opts.streams && !opts.streams.includes(stream.name)) continue;
    Deno.test(`${name} conformance: stream "${stream.name}"`, (t) => checkStream(opts, stream, t));
  }
}
