// The fake Square API as its own process (like a remote API) for the end-to-end benchmarks.
import { freePort } from "../lib/ports.ts";

export const FAKE_SQUARE_TOKEN = "fake-square-token";
const root = new URL("../..", import.meta.url).pathname;

/** What the fake served, as it prints it when it stops (tests/fakes/square/main.ts). */
export interface FakeSquareServed {
  requests: Record<string, number>;
  rateLimited: number;
  /** arrival times (ms, the fake's clock) of every request */
  arrivals: number[];
}

export interface FakeSquareProcess {
  url: string;
  pid: number;
  /** Every location id (what GET /v2/locations answered when the fake came up). */
  locations: string[];
  /** Stops the fake; what it served. */
  stop(): Promise<FakeSquareServed>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts tests/fakes/square/main.ts with `orders` orders (seed 7), answering each request after
 * `latencyMs` and refusing with 429 beyond `limitPerSecond` requests in any second (0: no limit),
 * and waits until it answers (one GET /v2/locations).
 */
export async function startFakeSquareProcess(
  orders: number,
  opts: { latencyMs?: number; limitPerSecond?: number } = {},
): Promise<FakeSquareProcess> {
  const port = freePort();
  const fake = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "tests/fakes/square/main.ts",
      "--port",
      String(port),
      "--orders",
      String(orders),
      "--seed",
      "7",
      "--latency-ms",
      String(opts.latencyMs ?? 0),
      "--limit-per-second",
      String(opts.limitPerSecond ?? 0),
    ],
    cwd: root,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  let served: Promise<FakeSquareServed> | null = null;
  const stop = () =>
    served ??= (async () => {
      fake.kill("SIGTERM");
      const out = await fake.output();
      const line = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "{}";
      try {
        return JSON.parse(line) as FakeSquareServed;
      } catch {
        return { requests: {}, rateLimited: 0, arrivals: [] };
      }
    })();
  try {
    const locations = await waitUp(url);
    return { url, pid: fake.pid, locations, stop, [Symbol.asyncDispose]: () => stop().then(() => {}) };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitUp(url: string): Promise<string[]> {
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`${url}/v2/locations`, {
        headers: { authorization: `Bearer ${FAKE_SQUARE_TOKEN}` },
      });
      if (res.ok) return ((await res.json()).locations as { id: string }[]).map((l) => l.id);
      await res.body?.cancel();
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fake Square did not start at ${url}`);
}
