// demo.sh --keep serves the dashboard on --dashboard-port (default 8000); a taken port, or a bad
// port option, ends the demo at once with a message naming it, before anything is started and
// with nothing left open (it used to fail after the whole sync and then hang on its fake API).
import assert from "node:assert/strict";
import { freePort } from "../../scripts/lib/ports.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function demo(args: string[]): Promise<{ code: number; text: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", "scripts/demo.ts", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const out = await child.output();
  clearTimeout(timer);
  const dec = new TextDecoder();
  return { code: out.code, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

Deno.test("demo --keep with a taken dashboard port exits 1 at once, naming the port and the option", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (taken.addr as Deno.NetAddr).port;
    const r = await demo(["--keep", "--dashboard-port", String(port), "--port", String(freePort())]);
    assert.equal(r.code, 1, r.text);
    assert.match(r.text, new RegExp(`Dashboard port ${port} is taken.*--dashboard-port`));
    assert.doesNotMatch(r.text, /fresh demo database/, "it stopped before starting anything");
  } finally {
    taken.close();
  }
});

Deno.test("demo with a port option that is no port is a usage error (exit 2)", async () => {
  const r = await demo(["--dashboard-port", "eighty"]);
  assert.equal(r.code, 2, r.text);
  assert.match(r.text, /--dashboard-port must be a port number \(1-65535\), got "eighty"/);
});
