// Runs the fake Ireland Pay CRM as its own process until interrupted:
//   deno run -A tests/fakes/irelandpay/main.ts --port 8788 --merchants 40 --seed 42 [--malformed 6]
//     [--rate-limit-every 50] [--fault-every 0] [--delay-ms 0] [--duplicates] [--unstorable-text]
import { parseArgs } from "node:util";
import { FAKE_IRELANDPAY_KEY, startFakeIrelandPay } from "./mod.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8788" },
    hostname: { type: "string", default: "127.0.0.1" },
    seed: { type: "string", default: "42" },
    merchants: { type: "string", default: "40" },
    "per-month": { type: "string", default: "25" },
    start: { type: "string", default: "2024-04-01" },
    malformed: { type: "string", default: "0" },
    key: { type: "string", default: FAKE_IRELANDPAY_KEY },
    "rate-limit-every": { type: "string", default: "0" },
    "fault-every": { type: "string", default: "0" },
    "delay-ms": { type: "string", default: "0" },
    duplicates: { type: "boolean", default: false },
    "unstorable-text": { type: "boolean", default: false },
  },
});
const int = (v: string) => {
  const n = Number.parseInt(v, 10);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`expected a non-negative integer, got "${v}"`);
    Deno.exit(2);
  }
  return n;
};
const fake = startFakeIrelandPay({
  port: int(values.port),
  hostname: values.hostname,
  seed: int(values.seed),
  merchants: int(values.merchants),
  perMonth: int(values["per-month"]),
  start: values.start,
  malformed: int(values.malformed),
  apiKey: values.key,
  rateLimitEvery: int(values["rate-limit-every"]),
  faultEvery: int(values["fault-every"]),
  delayMs: int(values["delay-ms"]),
  duplicates: values.duplicates,
  unstorableText: values["unstorable-text"],
});
const w = fake.state.world;
console.log(
  `fake Ireland Pay listening on ${fake.url} (X-API-KEY "${values.key}"): ${w.merchants.length} merchants, ${w.transactions.length} transactions (${w.malformed.size} malformed), ${w.residuals.length} residual rows`,
);
Deno.addSignalListener("SIGINT", () => fake.close().then(() => Deno.exit(0)));
Deno.addSignalListener("SIGTERM", () => fake.close().then(() => Deno.exit(0)));
