// What the every-minute ops tick costs at scale: zoned schedules found by their stored next_run_at
// (the mechanism) side by side with evaluating every expression each minute (the alternative),
// sync.cron_next_run per call, automatic retries over many failed items, recovery stats, and the
// whole tick. Median of 5 warm runs each. Needs the migrated template (bash scripts/test.sh).
//   deno run -A scripts/bench/ops_tick.ts [--schedules 1000] [--items 100000]
import { parseArgs } from "node:util";
import { createTestDatabase } from "../../tests/_support/db.ts";

const { values } = parseArgs({
  options: { schedules: { type: "string", default: "1000" }, items: { type: "string", default: "100000" } },
});
const schedules = Number(values.schedules);
const items = Number(values.items);

await using db = await createTestDatabase();
const { sql } = db;

async function median(label: string, fn: () => Promise<unknown>, runs = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const m = times.sort((a, b) => a - b)[Math.floor(runs / 2)];
  console.log(`${label.padEnd(72)} ${m.toFixed(2).padStart(9)} ms`);
  return m;
}

const zones = ["Europe/Dublin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Europe/Berlin"];
const crons = ["0 2 * * *", "0 11,19 * * *", "*/15 8-18 * * 1-5", "30 6 1 * *"];
let t = performance.now();
await sql`insert into sync.schedules (name, connector, streams, cron, enabled, timezone, next_run_at)
  select 'bench-' || g, 'square', array['orders'], (${crons}::text[])[1 + g % 4], true, (${zones}::text[])[1 + g % 5],
    sync.cron_next_run((${crons}::text[])[1 + g % 4], (${zones}::text[])[1 + g % 5], now())
  from generate_series(1, ${schedules}) g`;
console.log(
  `${schedules} zoned schedules saved (next_run_at computed) in ${(performance.now() - t).toFixed(0)} ms`,
);

console.log(`\nzoned schedules, ${schedules} enabled, none due (every minute):`);
const viaIndex = await median(
  "stored next_run_at (sync.run_due_schedules, the mechanism)",
  () => sql`select count(*) from sync.run_due_schedules(now())`,
);
const viaEval = await median(
  "alternative: evaluate every expression each minute",
  () =>
    sql`select count(*) from sync.schedules
      where enabled and timezone <> 'UTC' and sync.cron_next_run(cron, timezone, now() - interval '1 minute') <= now()`,
);
console.log(
  `${"evaluating each minute / stored next_run_at".padEnd(72)} ${
    (viaEval / viaIndex).toFixed(0).padStart(9)
  }x`,
);

console.log("\nsync.cron_next_run, one call:");
for (
  const [cron, zone] of [["0 2 * * *", "Europe/Dublin"], ["*/5 * * * *", "Asia/Kolkata"], [
    "0 9 * * 1-5",
    "America/New_York",
  ], ["0 0 29 2 *", "UTC"]]
) {
  await median(`'${cron}' ${zone}`, () => sql`select sync.cron_next_run(${cron}, ${zone}, now())`);
}

t = performance.now();
await sql`insert into sync.failed_items (connector, account, stream, item_key, error_class, error, next_retry_at, retries,
    last_retry_at)
  select (array['square', 'highlevel', 'bubble'])[1 + g % 3], 'default', 'stream_' || (g % 10), 'item-' || g, 'validation',
    'bench', now() + interval '1 hour', g % 4, case when g % 4 > 0 then now() - interval '1 hour' end
  from generate_series(1, ${items}) g`;
await sql`analyze sync.failed_items`;
console.log(`\n${items} open failed items loaded in ${(performance.now() - t).toFixed(0)} ms`);

console.log("automatic retries and recovery stats:");
await median(
  "sync.enqueue_due_retries, none due",
  () => sql`select count(*) from sync.enqueue_due_retries(now())`,
);
await median("sync.get_recovery_stats(7)", () => sql`select count(*) from sync.get_recovery_stats(7)`);
await median(
  "sync.ops_tick() (schedules, retries, alert rules), nothing due",
  () => sql`select sync.ops_tick()`,
);
await median("sync.enqueue_due_retries, all due (3 jobs; rolled back)", async () => {
  // a thrown sentinel rolls the transaction back, so every run sees the same items
  await sql.begin(async (tx) => {
    await tx`select count(*) from sync.enqueue_due_retries(now() + interval '2 hours')`;
    throw new Error("rollback");
  }).catch((e) => {
    if ((e as Error).message !== "rollback") throw e;
  });
});
