// `bash scripts/demo.sh --connector irelandpay`: the Ireland Pay CRM history on the local stack.
// 1. a fresh demo database, 2. the fake Ireland Pay API as its own process (seeded, paged, 429s,
// malformed records, a merchant trading since April 2024), 3. the sync function and a worker,
// 4. `sync irelandpay --since 2024-04-01` followed live — the worker is SIGKILLed mid-history and
// restarted, the job goes on from its window, 5. a re-run that writes nothing new, 6. the metrics
// per merchant and month computed in Postgres, as the CLI shows them.
import postgres from "postgres";
import { decodeCursor } from "../functions/_shared/connectors/declarative/paging.ts";
import { FAKE_IRELANDPAY_KEY } from "../tests/fakes/irelandpay/mod.ts";
import { ChildProcesses } from "./lib/children.ts";
import { freshDatabase } from "./lib/database.ts";
import { RUNNER_V8_FLAGS } from "./lib/v8.ts";

export interface IrelandPayDemoOptions {
  port: number;
  merchants: number;
  keep: boolean;
}

const root = new URL("..", import.meta.url).pathname;
const bold = (
  s: string,
) => (Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR") ? `\x1b[1m${s}\x1b[0m` : s);
const step = (n: number, s: string) => console.log(`\n${bold(`── ${n}. ${s}`)}`);

async function until<T>(what: string, fn: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v !== null) return v;
    } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`${what}: nothing after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function irelandpayDemo(opts: IrelandPayDemoOptions): Promise<void> {
  const started = Date.now();
  const children = new ChildProcesses(root);
  const spawn = (args: string[], env: Record<string, string>, inherit = false) =>
    children.spawn(args, env, !inherit);
  const apiPort = opts.port;
  const fakePort = apiPort + 1;
  try {
    step(1, "fresh demo database 'syncline_demo_irelandpay' (Supabase baseline + migrations)");
    const dbUrl = await freshDatabase("syncline_demo_irelandpay");
    console.log(`   ${dbUrl}`);

    step(2, "fake Ireland Pay CRM (its own process: tests/fakes/irelandpay/main.ts)");
    spawn(
      [
        "run",
        "-A",
        "tests/fakes/irelandpay/main.ts",
        "--port",
        String(fakePort),
        "--merchants",
        String(opts.merchants),
        "--malformed",
        "6",
        "--rate-limit-every",
        "97",
        "--delay-ms",
        "2",
      ],
      {},
      true,
    );
    const fakeUrl = `http://127.0.0.1:${fakePort}/api/v1`;
    await until("the fake Ireland Pay API", async () => {
      const res = await fetch(`${fakeUrl}/merchants?per_page=1`, {
        headers: { "x-api-key": FAKE_IRELANDPAY_KEY },
      });
      await res.body?.cancel();
      return res.ok ? true : null;
    });

    step(3, "sync function (Hono on Deno) and a worker");
    const secret = "local-demo-jwt-secret-not-for-production";
    const env = {
      SYNCLINE_DB_URL: dbUrl,
      SYNCLINE_JWT_SECRET: secret,
      SYNCLINE_WORKER_SECRET: "local-demo-worker-secret",
      SYNCLINE_PORT: String(apiPort),
      SYNCLINE_API_URL: `http://127.0.0.1:${apiPort}/sync`,
      SYNCLINE_LEASE_SECONDS: "3",
      IRELANDPAY_BASE_URL: fakeUrl,
      IRELANDPAY_API_KEY: FAKE_IRELANDPAY_KEY,
      // the real API allows 120 requests a minute; the local fake takes more
      IRELANDPAY_RATE_LIMIT_REQUESTS: "0",
      IRELANDPAY_PAGE_SIZE: "50",
      NO_COLOR: Deno.env.get("NO_COLOR") ?? "",
    };
    spawn(["run", "-A", `--v8-flags=${RUNNER_V8_FLAGS}`, "functions/sync/index.ts"], env);
    await until("the sync function", async () => {
      const res = await fetch(`http://127.0.0.1:${apiPort}/sync/health`);
      await res.body?.cancel();
      return res.ok ? true : null;
    });
    const worker = () =>
      spawn(["run", "-A", `--v8-flags=${RUNNER_V8_FLAGS}`, "scripts/worker.ts", "--quiet"], env);
    let w = worker();

    step(4, "history from 2024-04-01 (deno task sync irelandpay --since 2024-04-01), worker killed mid-way");
    const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
    const cli = (args: string[]) =>
      new Deno.Command(Deno.execPath(), { args: ["run", "-A", "scripts/cli.ts", ...args], cwd: root, env })
        .spawn()
        .status;
    const follow = cli(["irelandpay", "--since", "2024-04-01"]);
    const killedAt = await until("transactions to be half-way", async () => {
      const [r] =
        await sql`select coalesce(sum(done), 0)::int as done from sync.progress where phase = 'transactions'`;
      const [{ n }] = await sql`select count(*)::int as n from irelandpay.transactions`;
      return n > 0 && r.done >= Math.min(2_000, opts.merchants * 50) ? r.done : null;
    }, 300_000);
    w.kill("SIGKILL");
    await w.status;
    const [cp] =
      await sql`select cursor from sync.checkpoints where connector = 'irelandpay' and stream = 'transactions'`;
    const at = decodeCursor(String(cp.cursor));
    console.log(
      `   ✂ worker SIGKILLed after ${killedAt} transactions; checkpoint: window ${
        at.window?.slice(0, 7)
      }, merchant ${at.parent}; restarting it`,
    );
    w = worker();
    const first = await follow;
    if (first.code !== 0 && first.code !== 3) throw new Error(`the history sync failed (exit ${first.code})`);

    step(5, "the same history again: nothing new is written");
    const again = await cli(["irelandpay", "--since", "2024-04-01"]);
    if (again.code !== 0 && again.code !== 3) throw new Error(`the re-run failed (exit ${again.code})`);
    const [job] = await sql`select stats from sync.jobs order by id desc limit 1`;
    const streams = job.stats.streams as Record<string, { inserted: number; updated: number }>;
    const written = Object.values(streams).reduce((s, p) => s + Number(p.inserted) + Number(p.updated), 0);
    console.log(`   ${written === 0 ? "✓" : "✗"} rows inserted or updated by the re-run: ${written}`);

    step(6, "metrics per merchant and month, computed in Postgres (deno task sync metrics irelandpay)");
    const [{ mid }] = await sql`select mid from irelandpay.merchants order by opened, mid limit 1`;
    await cli(["metrics", "irelandpay", "--mid", mid, "--from", "2024-04", "--to", "2024-09"]);
    const [t] = await sql`select (select count(*) from irelandpay.merchants)::int as m,
      (select count(*) from irelandpay.transactions)::int as t, (select count(*) from irelandpay.residuals)::int as r,
      (select count(*) from sync.failed_items where connector = 'irelandpay')::int as f`;
    console.log(
      `   rows: irelandpay.merchants ${t.m}, irelandpay.transactions ${
        t.t.toLocaleString("en-US")
      }, irelandpay.residuals ${t.r}; failed items (malformed at the source): ${t.f}`,
    );
    await sql.end();
    console.log(
      `\n${bold(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)}. Explore: psql ${dbUrl}`,
    );
    if (opts.keep) {
      console.log(`API http://127.0.0.1:${apiPort}/sync, fake ${fakeUrl}; Ctrl-C stops everything`);
      await new Promise<void>((resolve) => Deno.addSignalListener("SIGINT", () => resolve()));
    }
  } finally {
    await children.stopAll();
  }
}
