// The fake Square API as its own process (like a remote API) for the end-to-end benchmarks.
export const FAKE_SQUARE_TOKEN = "fake-square-token";
const root = new URL("../..", import.meta.url).pathname;

export function freePort(): number {
  const l = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function waitUp(url: string) {
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(url, { headers: { authorization: `Bearer ${FAKE_SQUARE_TOKEN}` } });
      await res.body?.cancel();
      if (res.ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fake Square did not start at ${url}`);
}

export interface FakeSquareProcess {
  url: string;
  pid: number;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts tests/fakes/square/main.ts with `orders` orders (seed 7) and waits until it answers. */
export async function startFakeSquareProcess(orders: number): Promise<FakeSquareProcess> {
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
    ],
    cwd: root,
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    fake.kill("SIGTERM");
    await fake.status;
  };
  try {
    await waitUp(`${url}/v2/locations`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, pid: fake.pid, [Symbol.asyncDispose]: stop };
}
