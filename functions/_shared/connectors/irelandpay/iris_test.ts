// The Ireland Pay description against an independent fake of IRIS CRM's documented API v1
// (tests/fakes/iris, written from iris-crm/php-sdk's docs): IRIS's own field types, a history that
// reads every merchant, short pages with more to come, a merchant edited mid-listing, 17-digit
// amounts, and incremental windows that end at the run's instant (issue 28, items 1-6).
import assert from "node:assert/strict";
import { readAll } from "../../../../tests/conformance/suite.ts";
import { FAKE_IRIS_KEY, type FakeIris, startFakeIris } from "../../../../tests/fakes/iris/mod.ts";
import type { FetchContext, StreamDef } from "../../engine/connector/mod.ts";
import { defaultHttpPolicy, HttpClient } from "../../engine/http/mod.ts";
import { declarativeConnector } from "../declarative/mod.ts";
import { irelandpayDescription } from "./description.ts";

function connector(now?: () => number) {
  const c = declarativeConnector(irelandpayDescription, { now });
  const stream = (name: string) => c.streams.find((s) => s.name === name)!;
  return { c, stream };
}

function ctx(fake: FakeIris, exact: boolean | undefined, over: Record<string, unknown> = {}): FetchContext {
  return {
    http: new HttpClient({
      source: "irelandpay",
      baseUrl: fake.url,
      headers: { "x-api-key": FAKE_IRIS_KEY },
      policy: { ...defaultHttpPolicy, baseDelayMs: 1, maxDelayMs: 2, exactIntegers: exact },
    }),
    config: {},
    since: null,
    until: null,
    pageSize: 100,
    ...over,
  } as FetchContext;
}

/** Parses every record as the engine does and maps it to its row (failures named). */
function rows(stream: StreamDef, records: unknown[]) {
  return records.map((r) => {
    const parsed = stream.schema.safeParse(r);
    assert.ok(parsed.success, `${stream.name}: ${parsed.error?.message} ${JSON.stringify(r).slice(0, 200)}`);
    return {
      row: stream.toRow(parsed.data),
      key: stream.key(parsed.data),
      updated: stream.updatedAt?.(parsed.data),
    };
  });
}

const NOW = Date.parse("2024-07-15T12:00:00Z");

Deno.test("IRIS's documented field types land: string active flags, integer ids and mids, its date formats", async () => {
  const fake = startFakeIris({ merchants: 4, now: () => NOW });
  try {
    const { c, stream } = connector(() => NOW);
    const at = ctx(fake, c.exactIntegers);
    const merchants = rows(stream("merchants"), await readAll(stream("merchants"), at));
    assert.equal(merchants.length, 4);
    const byMid = new Map(merchants.map((m) => [m.key, m.row]));
    const m0 = byMid.get("800100000001")!;
    assert.equal(m0.mid, "800100000001");
    assert.equal(m0.active, true); // "1"
    assert.equal(byMid.get("800100000004")!.active, false); // "0"
    // "Y-m-d H:i:s" is UTC; ISO 8601 keeps its offset; both become one instant
    assert.equal(
      m0.modified,
      fake.world.merchants[0].modified.replace(" ", "T") + "Z",
    );
    assert.equal(merchants.find((m) => m.key === "800100000001")!.updated, m0.modified);
    // ISO 8601 with an offset as written
    assert.equal(byMid.get("800100000002")!.modified, fake.world.merchants[1].modified);
    assert.equal(m0.opened, fake.world.merchants[0].opened);

    const txns = rows(stream("transactions"), await readAll(stream("transactions"), at));
    assert.equal(txns.length, fake.world.transactions.length);
    const t0 = txns.find((t) => t.key === String(fake.world.transactions[0].id))!;
    assert.equal(t0.row.id, String(fake.world.transactions[0].id));
    assert.equal(t0.row.mid, "800100000001");
    assert.match(String(t0.row.date), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const residuals = rows(stream("residuals"), await readAll(stream("residuals"), at));
    assert.equal(residuals.length, 4 * 4); // April to July 2024
    const r0 = residuals.find((r) => r.row.mid === "800100000001")!;
    assert.equal(r0.row.mid, "800100000001");
    assert.equal(r0.row.period, "2024-04-01"); // "2024-04"
    assert.equal(r0.key, "800100000001:2024-04-01");
  } finally {
    await fake.close();
  }
});

Deno.test("a history (--since) reads every merchant whole; the date filter applies to the transactions", async () => {
  const fake = startFakeIris({ merchants: 5, now: () => NOW });
  try {
    const { c, stream } = connector(() => NOW);
    const since = new Date("2024-04-01T00:00:00Z");
    const at = ctx(fake, c.exactIntegers, { since, history: true });
    const merchants = await readAll(stream("merchants"), at);
    // merchants 1, 3 and 5 were last edited before April 2024
    assert.equal(merchants.length, 5, fake.log.filter((l) => l.includes("/merchants?")).join("\n"));
    assert.ok(!fake.log.some((l) => /\/merchants\?.*date_filter/.test(l)), "no date filter on the parents");
    const txns = await readAll(stream("transactions"), at);
    assert.equal(txns.length, fake.world.transactions.length);
    assert.ok(fake.log.some((l) => /\/transactions\?.*start_date=2024-04-01/.test(l)));
    // an incremental (no history) still filters merchants by their modified time
    fake.log.length = 0;
    await readAll(
      stream("merchants"),
      ctx(fake, c.exactIntegers, { since: new Date("2024-04-05T00:00:00Z") }),
    );
    assert.ok(fake.log.some((l) => /\/merchants\?.*date_filter=modified/.test(l)));
  } finally {
    await fake.close();
  }
});

Deno.test("page-number paging reads on past pages shorter than per_page while last_page / links.next say more", async () => {
  // IRIS clamps per_page: 5 asked, 2 served, meta.last_page "3"
  const fake = startFakeIris({ merchants: 5, now: () => NOW, maxPerPage: { residuals: 2, merchants: 2 } });
  try {
    const { c, stream } = connector(() => NOW);
    const at = ctx(fake, c.exactIntegers, { pageSize: 5 });
    assert.equal((await readAll(stream("residuals"), at)).length, 5 * 4);
    assert.equal((await readAll(stream("merchants"), at)).length, 5);
  } finally {
    await fake.close();
  }
});

Deno.test("a merchant edited while the merchants are listed page by page is not skipped", async () => {
  const fake = startFakeIris({
    merchants: 6,
    now: () => NOW,
    onRequest(url, world) {
      // after the first page, the oldest-modified merchant is edited
      if (url.pathname.endsWith("/merchants") && url.searchParams.get("page") === "2" && !edited) {
        edited = true;
        const oldest = [...world.merchants].sort((a, b) =>
          Date.parse(a.modified.replace(" ", "T") + (a.modified.includes("+") ? "" : "Z")) -
          Date.parse(b.modified.replace(" ", "T") + (b.modified.includes("+") ? "" : "Z"))
        )[0];
        fake.touch(oldest.mid, new Date(NOW));
      }
    },
  });
  let edited = false;
  try {
    const { c, stream } = connector(() => NOW);
    const got = await readAll(stream("merchants"), ctx(fake, c.exactIntegers, { pageSize: 2 }));
    assert.ok(edited);
    assert.deepEqual(
      [...new Set(got.map((m) => (m as { mid: string }).mid))].sort(),
      fake.world.merchants.map((m) => m.mid).sort(),
    );
  } finally {
    await fake.close();
  }
});

Deno.test("an incremental of merchants (date_filter=modified) edited mid-listing skips none of those in its window", async () => {
  let edited = false;
  const since = new Date("2024-04-01T00:00:00Z");
  const fake = startFakeIris({
    merchants: 10,
    now: () => NOW,
    onRequest(url, world) {
      if (url.pathname.endsWith("/merchants") && url.searchParams.get("page") === "2" && !edited) {
        edited = true;
        // the first merchant of the window, whichever order the listing uses, is edited now
        for (const m of world.merchants) {
          if (
            Date.parse(m.modified.includes("+") ? m.modified : m.modified.replace(" ", "T") + "Z") >= +since
          ) {
            fake.touch(m.mid, new Date(NOW));
            break;
          }
        }
      }
    },
  });
  try {
    const { c, stream } = connector(() => NOW);
    const inWindow = fake.world.merchants.filter((m) =>
      Date.parse(m.modified.includes("+") ? m.modified : m.modified.replace(" ", "T") + "Z") >= +since
    ).map((m) => m.mid);
    const got = await readAll(stream("merchants"), ctx(fake, c.exactIntegers, { since, pageSize: 2 }));
    assert.ok(edited);
    assert.ok(fake.log.some((l) => l.includes("date_filter=modified")));
    const mids = new Set(got.map((m) => (m as { mid: string }).mid));
    assert.deepEqual(inWindow.filter((m) => !mids.has(m)), []);
  } finally {
    await fake.close();
  }
});

Deno.test("a 17-digit sales_amount in a JSON number keeps every digit", async () => {
  const fake = startFakeIris({ merchants: 2, now: () => NOW });
  fake.world.residuals.get("2024-05")![1].sales_amount = "100000000001624.26";
  fake.world.residuals.get("2024-05")![1].net = "-0.10000000000000001";
  try {
    const { c, stream } = connector(() => NOW);
    const got = rows(stream("residuals"), await readAll(stream("residuals"), ctx(fake, c.exactIntegers)));
    const may = got.find((r) => r.key === "800100000002:2024-05-01")!;
    assert.equal(JSON.stringify(may.row.sales_amount), "100000000001624.26");
    assert.equal(JSON.stringify(may.row.net), "-0.10000000000000001");
    assert.match(JSON.stringify(may.row.raw), /"sales_amount":100000000001624\.26/);
  } finally {
    await fake.close();
  }
});

Deno.test("an incremental's windows end at the run's instant: a date-granular end_date includes today", async () => {
  const now = Date.parse("2026-12-07T11:00:00Z");
  const fake = startFakeIris({ merchants: 2, from: "2026-11-01", now: () => now - 3_600_000 });
  // a posting at 10:30 on the day of the run
  fake.world.transactions.push({
    id: 99_000_001,
    mid: Number(fake.world.merchants[0].mid),
    date: "2026-12-07 10:30:00",
    type: "sale",
    amount: "12.50",
  });
  try {
    const { c, stream } = connector(() => now);
    const since = new Date("2026-12-04T11:00:00Z"); // the high-water mark - 72 h
    const got = await readAll(stream("transactions"), ctx(fake, c.exactIntegers, { since }));
    assert.ok(fake.log.some((l) => /start_date=2026-12-04&end_date=2026-12-07/.test(l)), fake.log.join("\n"));
    assert.ok(got.some((t) => (t as { id: number }).id === 99_000_001), "the same day's posting is read");
  } finally {
    await fake.close();
  }
});
