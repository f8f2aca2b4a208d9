// The COPY merge path against the JSON path: the same pages through mergePage, once as COPY text
// (copy_rows.ts -> sql/sync_merge_copy.sql) and once as the JSON array merge_rows reads, must give
// the same counts and leave the same table contents, hostile values included.
import assert from "node:assert/strict";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import type { Sql } from "../../functions/_shared/engine/types.ts";
import { copyColumns, copyMerge, copyPathOff, mergePage } from "../../functions/_shared/engine/merge/mod.ts";
import { copyPage } from "../../functions/_shared/engine/records/mod.ts";
import { parseJsonExact } from "../../functions/_shared/engine/json.ts";
import { createTestDatabase } from "../_support/db.ts";

type Row = Record<string, unknown>;

const TABLE = `(id text primary key, name text, code varchar(12), n numeric, big bigint, i integer,
  flag boolean, doc jsonb, updated_at timestamptz, local text)`;

/** A test body with a fresh database holding both target tables and a claimed job. */
function withJob(name: string, body: (sql: Sql, jobId: number) => Promise<void>): Deno.TestDefinition {
  return {
    name,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      await using t = await createTestDatabase();
      const sql = connect(t.url, 3);
      try {
        for (const table of ["copy_h", "json_h"]) {
          await sql.unsafe(`create table public.${table} ${TABLE}`);
          await sql`select sync.register_target(${"public." + table}, array['id'], 'updated_at')`;
        }
        const job = await db.createJob(sql, {
          connector: "widgets",
          streams: ["copy", "json"],
          mode: "full",
        });
        assert.ok(await db.claimJob(sql, "w1", 60));
        await body(sql, job.id);
      } finally {
        await sql.end();
      }
    },
  };
}

function deep(depth: number): unknown {
  let v: unknown = { leaf: 'a\\b\t"c"\n' };
  for (let i = 0; i < depth; i++) v = i % 2 ? { [`k${i}`]: v } : [i, v];
  return v;
}

// integers beyond 2^53 as JSON.rawJSON, as parseJsonExact keeps them
const exact = parseJsonExact('{"max": 9223372036854775807, "over": 9223372036854775808}') as Row;

function hostile(version: string): Row[] {
  return [
    {
      id: "tab\tnew\nline\rcr\\back",
      name: "\\N",
      code: "\\.",
      n: exact.over,
      big: exact.max,
      i: 0,
      flag: true,
      doc: { s: "tab\tnl\n\\ \u2028 😀", deep: deep(40), big: exact.over },
      updated_at: version,
    },
    {
      id: "unicode",
      name: "héllo wörld 日本語 😀👍🏽 \uFFFD (was a lone surrogate)",
      code: "",
      n: -1.5,
      big: -9007199254740991,
      i: -2147483648,
      flag: false,
      doc: 'a JSON string \\ with "quotes"',
      updated_at: version,
    },
    {
      id: "empty",
      name: "",
      code: null,
      n: 0,
      big: null,
      i: null,
      flag: null,
      doc: null,
      updated_at: version,
    },
    { id: "nums", name: 12.5, code: true, n: 1e-5, big: 0, i: 7, flag: "t", doc: [], updated_at: version },
    {
      id: "json-null",
      name: null,
      code: "x",
      n: null,
      big: 1,
      i: 1,
      flag: null,
      doc: {},
      updated_at: version,
    },
  ];
}

// the two paths one after the other (both write the one job's progress: run at once they could deadlock)
async function both(sql: Sql, jobId: number, rows: Row[]) {
  const page = copyPage(rows, await copyColumns(sql, "public.copy_h"));
  assert.ok(page, "the page is copyable");
  const base = { jobId, worker: "w1", cursor: null, saveCheckpoint: true };
  const copy = mergePage(sql, { ...base, stream: "copy", target: "public.copy_h", rows, copy: page });
  await copy.catch(() => {});
  const json = mergePage(sql, {
    ...base,
    stream: "json",
    target: "public.json_h",
    rows: JSON.stringify(rows),
  });
  await json.catch(() => {});
  return { copy, json };
}

/** `p`, or a failure naming the wait when it has not settled within `ms`. */
async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function contents(sql: Sql, table: string): Promise<string[]> {
  const rows = await sql.unsafe(`select (to_jsonb(t) - '_first_synced_at' - '_last_synced_at')::text as r
    from public.${table} t order by id`);
  return rows.map((r) => r.r as string);
}

Deno.test(withJob(
  "the COPY path and the JSON path give the same counts and table contents, hostile values included",
  async (sql, jobId) => {
    const v1 = "2026-01-01T00:00:00Z";
    const v2 = "2026-01-02T00:00:00Z";
    const steps: Row[][] = [
      hostile(v1), // inserted
      hostile(v1), // unchanged
      hostile(v2).map((r, i) => i === 1 ? { ...r, name: "changed" } : r), // updated
      hostile(v1).map((r) => ({ ...r, name: "older" })), // stale
      // a tie: the greater content wins, the lesser is stale; a key twice in one page
      [{ ...hostile(v2)[2], name: "zzz" }, { ...hostile(v2)[3], name: "" }, {
        ...hostile(v1)[4],
        name: "a",
      }, {
        ...hostile(v2)[4],
        name: "b",
      }],
    ];
    for (const rows of steps) {
      const { copy, json } = await both(sql, jobId, rows);
      assert.deepEqual(await copy, await json);
    }
    // local columns kept; a page without some columns writes only its own; undelete
    for (const table of ["copy_h", "json_h"]) {
      await sql.unsafe(
        `update public.${table} set local = 'mine', _deleted_at = now() where id = 'unicode'`,
      );
    }
    const partial = [{ id: "unicode", name: "changed", updated_at: v2 }, {
      id: "new",
      name: "n",
      updated_at: v2,
    }];
    const { copy, json } = await both(sql, jobId, partial);
    assert.deepEqual(await copy, await json);
    assert.deepEqual(await copy, { inserted: 1, updated: 1, unchanged: 0, stale: 0 });
    // two pages in flight: the second merges while the first commits (`after`), per path; they
    // share no key (the pipeline never overlaps pages that do: each could wait for the other's rows)
    const pages = [
      hostile("2026-01-03T00:00:00Z"),
      [{ id: "new", name: "again", updated_at: "2026-01-04T00:00:00Z" }, {
        id: "newer",
        name: "x",
        updated_at: v2,
      }],
    ];
    const columns = await copyColumns(sql, "public.copy_h");
    const base = { jobId, worker: "w1", cursor: null, saveCheckpoint: true };
    const c1 = mergePage(sql, {
      ...base,
      stream: "copy",
      target: "public.copy_h",
      rows: pages[0],
      copy: copyPage(pages[0], columns),
    });
    const c2 = mergePage(sql, {
      ...base,
      stream: "copy",
      target: "public.copy_h",
      rows: pages[1],
      copy: copyPage(pages[1], columns),
    }, c1);
    const viaCopy = await Promise.all([c1, c2]);
    const j1 = mergePage(sql, {
      ...base,
      stream: "json",
      target: "public.json_h",
      rows: JSON.stringify(pages[0]),
    });
    const j2 = mergePage(sql, {
      ...base,
      stream: "json",
      target: "public.json_h",
      rows: JSON.stringify(pages[1]),
    }, j1);
    assert.deepEqual(viaCopy, await Promise.all([j1, j2]));

    const [c, j] = [await contents(sql, "copy_h"), await contents(sql, "json_h")];
    assert.equal(c.length, 7);
    assert.deepEqual(c, j);
    const [row] =
      await sql`select id, name, code, n::text, big::text, doc from public.copy_h where id like 'tab%'`;
    assert.deepEqual([row.id, row.name, row.code, row.n, row.big], [
      "tab\tnew\nline\rcr\\back",
      "\\N",
      "\\.",
      "9223372036854775808",
      "9223372036854775807",
    ]);
    const [unicode] = await sql`select name, local, _deleted_at from public.copy_h where id = 'unicode'`;
    assert.deepEqual([unicode.local, unicode._deleted_at], ["mine", null]);
    // the hostile page goes through COPY itself (no fallback to the JSON path)
    const hostilePage = copyPage(hostile("2026-02-01T00:00:00Z"), await copyColumns(sql, "public.copy_h"));
    const direct = await sql.begin((tx) => copyMerge(tx, "public.copy_h", hostilePage!, null));
    assert.deepEqual(direct, { inserted: 0, updated: 5, unchanged: 0, stale: 0 });
    const [p] = (await db.getProgress(sql, jobId)).filter((x) => x.phase === "copy");
    const [q] = (await db.getProgress(sql, jobId)).filter((x) => x.phase === "json");
    assert.deepEqual(
      [p.done, p.inserted, p.updated, p.unchanged, p.stale],
      [q.done, q.inserted, q.updated, q.unchanged, q.stale],
    );
  },
));

Deno.test(withJob(
  "a COPY page with a row Postgres refuses sets that row aside as a failed item; the rest lands",
  async (sql, jobId) => {
    const v = "2026-01-01T00:00:00Z";
    const rows = [
      { id: "a", code: "ok", i: 1, updated_at: v },
      { id: "b", code: "far too long for twelve", i: 2, updated_at: v }, // fails the COPY (varchar(12))
      { id: "c", code: "ok", i: 3, updated_at: v },
    ];
    const { copy, json } = await both(sql, jobId, rows);
    assert.deepEqual(await copy, { inserted: 2, updated: 0, unchanged: 0, stale: 0, rejected: 1 });
    assert.deepEqual(await copy, await json);
    // a null key passes the COPY and fails the merge statement
    const nullKey = [{ id: "d", code: "ok", i: 4, updated_at: v }, {
      id: null,
      code: "x",
      i: 5,
      updated_at: v,
    }];
    const second = await both(sql, jobId, nullKey);
    assert.deepEqual(await second.copy, { inserted: 1, updated: 0, unchanged: 0, stale: 0, rejected: 1 });
    assert.deepEqual(await second.copy, await second.json);
    const items = await sql`select item_key, error_class, error from sync.failed_items
        where stream = 'copy' order by item_key`;
    assert.deepEqual(items.map((i) => [i.item_key, i.error_class]), [["b", "merge"], ["copy#2", "merge"]]);
    assert.match(
      items[0].error as string,
      /^copy record "b": column "code" \(character varying\(12\)\): value too long/,
    );
    assert.deepEqual(await contents(sql, "copy_h"), await contents(sql, "json_h"));
  },
));

Deno.test(withJob(
  "a COPY that fails in this process (not refused by Postgres) lands its page by the JSON path, says so once, and later pages skip COPY",
  async (sql, jobId) => {
    const v = "2026-01-01T00:00:00Z";
    const warned: string[] = [];
    const warn = console.warn;
    console.warn = (...a: unknown[]) => void warned.push(a.join(" "));
    try {
      const base = { jobId, worker: "w1", stream: "copy", target: "public.copy_h", saveCheckpoint: true };
      const first = [{ id: "a", i: 1, updated_at: v }, { id: "b", i: 2, updated_at: v }];
      const page = copyPage(first, await copyColumns(sql, "public.copy_h"))!;
      // a page the runtime's stream cannot write (as a missing global or a polyfill's bug would fail)
      const broken = { ...page, text: 42 as unknown as string };
      assert.equal(copyPathOff(sql), null);
      // (a COPY stream left open would hold the connection in COPY mode: the page would never settle)
      const r1 = await within(
        20_000,
        mergePage(sql, { ...base, rows: first, copy: broken, cursor: "p1" }),
      );
      assert.deepEqual(r1, { inserted: 2, updated: 0, unchanged: 0, stale: 0 });
      assert.match(
        copyPathOff(sql) ?? "",
        /COPY of a page into the staging table of "public\.copy_h" failed in this process/,
      );
      const second = [{ id: "c", i: 3, updated_at: v }];
      const r2 = await mergePage(sql, {
        ...base,
        rows: second,
        copy: copyPage(second, await copyColumns(sql, "public.copy_h")),
        cursor: "p2",
      });
      assert.deepEqual(r2, { inserted: 1, updated: 0, unchanged: 0, stale: 0 });
      assert.deepEqual((await sql`select id from public.copy_h order by id`).map((r) => r.id), [
        "a",
        "b",
        "c",
      ]);
      const [cp] = await sql`select cursor from sync.checkpoints where stream = 'copy'`;
      assert.equal(cp?.cursor, "p2");
      assert.equal(warned.length, 1, warned.join("\n"));
      assert.match(
        warned[0],
        /failed in this process: .*; this pool's pages take the JSON merge path from now on/,
      );
    } finally {
      console.warn = warn;
    }
  },
));
