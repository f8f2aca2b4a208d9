// The demo behind `bash scripts/demo.sh`: a real Square sync on the local stack.
// 1. a fresh demo database (baseline + migrations), 2. the fake Square API, 3. the sync
// function served by Deno and a worker, 4. a full sync followed live with the CLI, 5. records
// changed at the source, 6. an incremental sync that picks up exactly those, 7. what landed.
import { parseArgs } from "node:util";
import postgres from "postgres";
import { FAKE_SQUARE_TOKEN, startFakeSquare } from "../tests/fakes/square/mod.ts";
import { mintAdminToken } from "./cli/client.ts";
import { type RunningConsole, startConsole } from "./dashboard.ts";
import { ChildProcesses } from "./lib/children.ts";
import { freshDatabase } from "./lib/database.ts";
import { RUNNER_V8_FLAGS } from "./lib/v8.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    orders: { type: "string", default: "20000" },
    customers: { type: "string", default: "2000" },
    port: { type: "string", default: "54321" },
    /** where --keep serves the dashboard */
    "dashboard-port": { type: "string", default: "8000" },
    touch: { type: "string", default: "25" },
    /** leave the fake API, the function, a worker and the dashboard running until Ctrl-C */
    keep: { type: "boolean", default: false },
    /** square (default) or irelandpay (scripts/demo_irelandpay.ts) */
    connector: { type: "string", default: "square" },
    merchants: { type: "string", default: "40" },
  },
});

const root = new URL("..", import.meta.url).pathname;
const bold = (
  s: string,
) => (Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR") ? `\x1b[1m${s}\x1b[0m` : s);
const step = (n: number, s: string) => console.log(`\n${bold(`── ${n}. ${s}`)}`);
const children = new ChildProcesses(root);
// everything main() opens, closed on every way out (an open server would keep the process alive)
const open: {
  fake?: ReturnType<typeof startFakeSquare>;
  dashboard?: RunningConsole;
  sql?: ReturnType<typeof postgres>;
} = {};

/** A usage error: the message, exit code 2. */
class UsageError extends Error {}

function portOption(name: string): number {
  const raw = String(values[name as keyof typeof values]);
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 65535) {
    throw new UsageError(`--${name} must be a port number (1-65535), got "${raw}"`);
  }
  return n;
}

async function waitFor(url: string, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} did not come up at ${url} within ${timeoutMs / 1000} s`);
}

function portFree(port: number): boolean {
  try {
    const l = Deno.listen({ port, hostname: "127.0.0.1" });
    l.close();
    return true;
  } catch {
    return false;
  }
}

function spawn(args: string[], env: Record<string, string>, quiet = true): Deno.ChildProcess {
  return children.spawn(args, env, quiet);
}

async function cli(args: string[], env: Record<string, string>): Promise<number> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/cli.ts", ...args],
    cwd: root,
    env,
  })
    .spawn().status;
  return out.code;
}

async function main() {
  if (values.connector === "irelandpay") {
    const { irelandpayDemo } = await import("./demo_irelandpay.ts");
    return await irelandpayDemo({
      port: portOption("port"),
      merchants: Number(values.merchants),
      keep: values.keep,
    });
  }
  if (values.connector !== "square") {
    throw new UsageError(`--connector takes square or irelandpay, got "${values.connector}"`);
  }
  const started = Date.now();
  const apiPort = portOption("port");
  const dashboardPort = portOption("dashboard-port");
  // both ports are checked before anything starts, so a taken one fails at once
  if (!portFree(apiPort)) {
    throw new Error(`Port ${apiPort} is taken (an earlier demo still running?). Stop it or pass --port N.`);
  }
  if (values.keep && (dashboardPort === apiPort || !portFree(dashboardPort))) {
    throw new Error(
      `Dashboard port ${dashboardPort} is taken (an earlier demo --keep still running?). Stop it or pass --dashboard-port N.`,
    );
  }

  step(1, "fresh demo database 'syncline_demo' (Supabase baseline + migrations)");
  const dbUrl = await freshDatabase("syncline_demo");
  console.log(`   ${dbUrl}`);

  step(2, "fake Square API");
  const fake = open.fake = startFakeSquare({
    seed: 42,
    orders: Number(values.orders),
    customers: Number(values.customers),
  });
  const counts = Object.fromEntries(Object.entries(fake.state.world.tables).map(([k, t]) => [k, t.count]));
  console.log(`   ${fake.url} serving ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ")}`);

  step(3, "sync function (Hono on Deno) and a worker");
  const secret = "local-demo-jwt-secret-not-for-production";
  const env = {
    SYNCLINE_DB_URL: dbUrl,
    SYNCLINE_JWT_SECRET: secret,
    SYNCLINE_WORKER_SECRET: "local-demo-worker-secret",
    SYNCLINE_PORT: String(apiPort),
    SYNCLINE_API_URL: `http://127.0.0.1:${apiPort}/sync`,
    SQUARE_BASE_URL: fake.url,
    SQUARE_ACCESS_TOKEN: FAKE_SQUARE_TOKEN,
    // the real Square gets a conservative 20 requests/s by default; the local fake takes more
    SQUARE_RATE_LIMIT_REQUESTS: "100",
    NO_COLOR: Deno.env.get("NO_COLOR") ?? "",
  };
  spawn(["run", "-A", `--v8-flags=${RUNNER_V8_FLAGS}`, "functions/sync/index.ts"], env);
  await waitFor(`http://127.0.0.1:${apiPort}/sync/health`, "the sync function");
  spawn(["run", "-A", `--v8-flags=${RUNNER_V8_FLAGS}`, "scripts/worker.ts", "--quiet"], env);
  console.log(
    `   API http://127.0.0.1:${apiPort}/sync (OpenAPI at /sync/openapi.json), worker polling the queue`,
  );
  // --keep: the console (and the local Realtime stand-in) start now, so the syncs below show live
  let dashboard: RunningConsole | null = null;
  if (values.keep) {
    dashboard = open.dashboard = await startConsole({
      port: dashboardPort,
      api: env.SYNCLINE_API_URL,
      realtime: { dbUrl, jwtSecret: secret },
    });
    const early = await mintAdminToken(secret, 8 * 3600);
    console.log(
      `   console ${dashboard.url}#api=${
        encodeURIComponent(env.SYNCLINE_API_URL)
      } (live via the local Realtime stand-in)`,
    );
    console.log(`   admin token for its sign-in form: ${early}`);
  }

  step(4, "full sync of every Square stream (deno task sync square --full)");
  const full = await cli(["square", "--full"], env);
  if (full !== 0) throw new Error(`the full sync did not succeed (exit ${full})`);

  const n = Number(values.touch);
  step(5, `changing records at the source: ${n} orders, ${n} customers, ${Math.ceil(n / 5)} payments`);
  const touched = {
    orders: fake.state.touch("orders", n).length,
    customers: fake.state.touch("customers", n).length,
    payments: fake.state.touch("payments", Math.ceil(n / 5)).length,
  };
  const sql = open.sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  await sql`update square.orders set reference_id = reference_id where false`; // schema check
  // a column only this team has: it must survive every re-sync
  await sql.unsafe(`alter table square.orders add column if not exists local_note text`);
  const [{ id: noted }] = await sql`update square.orders set local_note = 'called the customer'
    where id = (select id from square.orders order by id limit 1) returning id`;
  console.log(`   also set a local-only column on order ${noted}: local_note = 'called the customer'`);

  step(6, "incremental sync (deno task sync square)");
  const inc = await cli(["square"], env);
  if (inc !== 0) throw new Error(`the incremental sync did not succeed (exit ${inc})`);

  step(7, "what landed");
  const [job] = await sql`select id, stats from sync.jobs order by id desc limit 1`;
  const streams = job.stats.streams as Record<string, { updated: number; inserted: number }>;
  for (const [stream, expected] of Object.entries(touched)) {
    const got = Number(streams[stream]?.updated ?? 0) + Number(streams[stream]?.inserted ?? 0);
    const ok = got === expected;
    console.log(
      `   ${
        ok ? "✓" : "✗"
      } ${stream}: ${expected} changed at the source, ${got} written by the incremental sync`,
    );
    if (!ok) throw new Error(`incremental sync wrote ${got} ${stream}, expected exactly ${expected}`);
  }
  const tables = await sql`select c.relname as table, c.reltuples::bigint as approx,
      (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from square.%I', c.relname), false, true, '')))[1]::text::bigint as rows
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'square' and c.relkind = 'r' order by c.relname`;
  console.log(
    `   rows in Postgres: ${
      tables.map((t) => `square.${t.table} ${Number(t.rows).toLocaleString("en-US")}`).join(", ")
    }`,
  );
  const [kept] = await sql`select local_note from square.orders where id = ${noted}`;
  console.log(
    `   ${
      kept.local_note === "called the customer" ? "✓" : "✗"
    } local-only column kept: '${kept.local_note}'`,
  );
  await sql.end();
  delete open.sql;
  console.log(`\n${bold(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)}. Explore: psql ${dbUrl}`);
  if (!values.keep) {
    console.log("Run `bash scripts/demo.sh --keep` to leave the API, a worker and the dashboard running.");
    return;
  }
  const token = await mintAdminToken(secret, 8 * 3600);
  const api = `http://127.0.0.1:${apiPort}/sync`;
  console.log(`\n${bold("still running")} (Ctrl-C stops everything):`);
  // the token is printed apart from the URL: no secret ever goes into a page URL
  console.log(
    `   console    ${dashboard!.url}#api=${
      encodeURIComponent(api)
    }  (live through the local Realtime stand-in)`,
  );
  console.log(`   token      ${token}  (paste it into the console's sign-in form)`);
  console.log(`   CLI        SYNCLINE_API_URL=${api} SYNCLINE_JWT_SECRET=${secret} deno task sync history`);
  console.log(`   fake API   ${fake.url} (token ${FAKE_SQUARE_TOKEN})`);
  await new Promise<void>((resolve) => {
    Deno.addSignalListener("SIGINT", () => resolve());
    Deno.addSignalListener("SIGTERM", () => resolve());
  });
}

try {
  await main();
} catch (err) {
  console.error(`\n${err instanceof UsageError ? "usage" : "demo failed"}: ${(err as Error).message}`);
  Deno.exitCode = err instanceof UsageError ? 2 : 1;
} finally {
  await Promise.allSettled([
    children.stopAll(),
    open.dashboard?.close(),
    open.fake?.close(),
    open.sql?.end({ timeout: 1 }),
  ]);
}
// nothing left open may keep the process (and the shell that ran demo.sh) waiting
Deno.exit(Deno.exitCode);
