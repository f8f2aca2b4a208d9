// Runs the fake Square API until interrupted:
//   deno run -A tests/fakes/square/main.ts --port 8787 --orders 5000 --seed 42 [--events]
//     [--latency-ms 200] [--limit-per-second 20] (a real server's time per page and request limit)
import { parseArgs } from "node:util";
import { FAKE_SQUARE_TOKEN, startFakeSquare } from "./mod.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8787" },
    hostname: { type: "string", default: "127.0.0.1" },
    seed: { type: "string", default: "42" },
    orders: { type: "string", default: "5000" },
    customers: { type: "string" },
    locations: { type: "string" },
    items: { type: "string" },
    token: { type: "string", default: FAKE_SQUARE_TOKEN },
    "rate-limit-every": { type: "string", default: "0" },
    "limit-per-second": { type: "string", default: "0" },
    "latency-ms": { type: "string", default: "0" },
    events: { type: "boolean", default: false },
  },
});
const int = (v: string | undefined) => (v === undefined ? undefined : Number.parseInt(v, 10));
const fake = startFakeSquare({
  port: int(values.port),
  hostname: values.hostname,
  seed: int(values.seed),
  orders: int(values.orders),
  customers: int(values.customers),
  locations: int(values.locations),
  items: int(values.items),
  accessToken: values.token,
  events: values.events,
});
fake.state.rateLimitEvery = int(values["rate-limit-every"]) ?? 0;
fake.state.limitPerSecond = int(values["limit-per-second"]) ?? 0;
fake.state.latencyMs = int(values["latency-ms"]) ?? 0;
console.log(
  `fake Square listening on ${fake.url} (token "${values.token}", ${values.orders} orders, seed ${values.seed})`,
);
// on the way out, one JSON line of what it served (benchmarks read it)
const stop = () =>
  fake.close().then(() => {
    const arrivals = fake.state.arrivals;
    console.log(
      JSON.stringify({ requests: fake.state.requests, rateLimited: fake.state.rateLimited, arrivals }),
    );
    Deno.exit(0);
  });
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
