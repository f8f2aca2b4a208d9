// The `sync` Edge Function: builds the app from the environment and serves it.
// Locally: `deno run -A functions/sync/index.ts` (port from SYNCLINE_PORT, default 54321).
import { connectors as known, createConnectors } from "../_shared/connectors/registry.ts";
import { connect, guardDatabaseConnections } from "../_shared/engine/postgres/mod.ts";
import {
  createCpuBudget,
  DEFAULT_PER_RECORD_MICROS,
  processCpuMicros,
} from "../_shared/engine/budget/mod.ts";
import { loadConfig } from "../_shared/config.ts";
import { createApp } from "./app.ts";

// a PostgreSQL restart must not end this process (engine/postgres/connection_guard.ts)
guardDatabaseConnections();
const config = loadConfig(Deno.env, Object.keys(known));
const connectors = createConnectors(config.connectors);
const app = createApp({
  sql: connect(config.dbUrl, 4),
  connectors,
  connectorConfig: (connector) => config.connectors[connector] ?? {},
  auth: config,
  budgetMs: config.budgetMs,
  cpuBudget: () =>
    createCpuBudget({
      cpuMs: config.cpuBudgetMs,
      cpuUsageMicros: processCpuMicros(),
      // the operator's figure for every connector, else each connector's measured one
      perRecordMicros: config.cpuPerRecordMicros ?? DEFAULT_PER_RECORD_MICROS,
      ...(config.cpuPerRecordMicros === null ? {} : { perRecordByConnector: {} }),
    }),
  corsOrigins: config.corsOrigins,
  // on Supabase the gateway serves the function under /functions/v1 and strips that before it
  // deno-lint-ignore no-explicit-any
  publicPathPrefix: (globalThis as any).EdgeRuntime ? "/functions/v1" : "",
  // On Supabase EdgeRuntime.waitUntil keeps background work alive after the response; served
  // locally (deno task serve) the process outlives the request anyway, so work simply runs on.
  // deno-lint-ignore no-explicit-any
  waitUntil: (globalThis as any).EdgeRuntime?.waitUntil?.bind((globalThis as any).EdgeRuntime) ??
    ((work: Promise<unknown>) => void work.catch(() => {})),
});

const port = config.port;
// deno-lint-ignore no-explicit-any
if ((globalThis as any).EdgeRuntime) Deno.serve(app.fetch);
else {Deno.serve({
    port,
    hostname: "127.0.0.1",
    onListen: () => console.log(`sync function on http://127.0.0.1:${port}/sync`),
  }, app.fetch);}
