// Cost of keeping integers beyond 2^53 exact (issue 18, item 10): JSON.parse against
// parseJsonExact (functions/_shared/engine/json.ts) on the same page texts, side by side, in one
// run: Square order pages (500 orders, no long number literals: the fast path), HighLevel order
// pages from the fake (24-hex ids, some integers beyond 2^53: the reviver path), and the same
// HighLevel pages with the big integers taken out.
//   deno run -A scripts/bench/json_exact.ts [--rounds 30]
import { parseArgs } from "node:util";
import { orders as highlevelOrders } from "../../functions/_shared/connectors/highlevel/orders.ts";
import { parseJsonExact } from "../../functions/_shared/engine/json.ts";
import { prepareRecords } from "../../functions/_shared/engine/records/mod.ts";
import { createWorld as highlevelWorld } from "../../tests/fakes/highlevel/data.ts";
import { stringifyExact } from "../../tests/fakes/highlevel/json.ts";
import { createWorld as squareWorld } from "../../tests/fakes/square/data.ts";

const { values } = parseArgs({ args: Deno.args, options: { rounds: { type: "string", default: "30" } } });
const rounds = Number(values.rounds);

const sq = squareWorld({ orders: 5_000 });
const squarePages: string[] = [];
for (let p = 0; p < 10; p++) {
  const orders = Array.from({ length: 500 }, (_, i) => sq.tables.orders.record(p * 500 + i));
  squarePages.push(JSON.stringify({ orders, cursor: "c" }));
}
const hl = highlevelWorld({ orders: 1_000, contacts: 100, products: 20 });
const hlPages: string[] = [];
const hlPlain: string[] = [];
for (let p = 0; p < 10; p++) {
  const data = hl.orders.slice(p * 100, p * 100 + 100);
  hlPages.push(stringifyExact({ data, totalCount: 1000 }));
  hlPlain.push(JSON.stringify({ data, totalCount: 1000 }, (_k, v) => typeof v === "bigint" ? Number(v) : v));
}

function measure(pages: string[], parse: (t: string) => unknown, records: number): number {
  for (const t of pages) parse(t); // warm up
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const t of pages) parse(t);
  return ((performance.now() - t0) * 1000) / (rounds * records); // µs per record
}

const rows = [];
for (
  const [name, pages, records] of [
    ["Square orders, 500/page (fast path)", squarePages, 5_000],
    ["HighLevel orders, 100/page, with ints > 2^53", hlPages, 1_000],
    ["HighLevel orders, 100/page, none > 2^53", hlPlain, 1_000],
  ] as const
) {
  // alternate to spread machine noise over both
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 5; i++) {
    a.push(measure(pages as string[], JSON.parse, records));
    b.push(measure(pages as string[], parseJsonExact, records));
  }
  const med = (xs: number[]) => xs.sort((x, y) => x - y)[2];
  rows.push({
    pages: name,
    "JSON.parse µs/record": med(a).toFixed(2),
    "parseJsonExact µs/record": med(b).toFixed(2),
    "extra µs/record": (med(b) - med(a)).toFixed(2),
  });
}
console.table(rows);

// The runner's CPU per HighLevel order as it handles a Get-Order answer: parse, validate, map,
// serialise the row (what the runner does per record, without the network and Postgres).
const answers = hl.orders.map((o) => stringifyExact(o));
const answersPlain = hl.orders.map((o) =>
  JSON.stringify(o, (_k, v) => typeof v === "bigint" ? Number(v) : v)
);
function runnerPath(texts: string[], parse: (t: string) => unknown): number {
  const go = () => {
    const records = texts.map((t) => parse(t));
    const { rows } = prepareRecords(highlevelOrders, records);
    return JSON.stringify(rows).length;
  };
  go();
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) go();
  return ((performance.now() - t0) * 1000) / (rounds * texts.length);
}
const runner = [];
for (
  const [name, texts] of [["with ints > 2^53 (1 order in 9)", answers], [
    "none > 2^53",
    answersPlain,
  ]] as const
) {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 5; i++) {
    a.push(runnerPath(texts as string[], JSON.parse));
    b.push(runnerPath(texts as string[], parseJsonExact));
  }
  const med = (xs: number[]) => xs.sort((x, y) => x - y)[2];
  runner.push({
    "HighLevel Get-Order answers": name,
    "runner µs/order, JSON.parse": med(a).toFixed(2),
    "runner µs/order, exact": med(b).toFixed(2),
    "extra": `${(100 * (med(b) - med(a)) / med(a)).toFixed(1)}%`,
  });
}
console.table(runner);
