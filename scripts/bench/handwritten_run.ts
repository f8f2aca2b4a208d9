// One measured run of the hand-written loop (handwritten_loop.ts) as its own process, so its CPU is
// its own: reads BENCH_DB_URL, BENCH_BASE_URL, BENCH_TOKEN; prints one JSON line.
import { handwrittenSync } from "./handwritten_loop.ts";
import { cpuSeconds } from "./_cpu.ts";

const env = (name: string) => {
  const v = Deno.env.get(name);
  if (!v) throw new Error(`Set ${name}`);
  return v;
};
const before = cpuSeconds("self");
const result = await handwrittenSync({
  dbUrl: env("BENCH_DB_URL"),
  baseUrl: env("BENCH_BASE_URL"),
  token: env("BENCH_TOKEN"),
});
console.log(JSON.stringify({ ...result, runnerCpu: cpuSeconds("self") - before }));
