// The worker died at the second PostgreSQL restart in CI (pg_restart_test.ts): postgres.js's
// write to a closed socket thrown inside an immediate, then its pending write cleared, left
// Deno's immediate loop reading `_idleNext` of undefined on every turn. The guard catches that
// error inside the immediate itself (guardImmediates), so the loop never sees it.
import assert from "node:assert/strict";

const fixture = new URL("./fixtures/immediate_throw.ts", import.meta.url).pathname;

async function run(mode: string): Promise<{ code: number; out: string; timedOut: boolean }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-check", "--allow-read", "--allow-env", fixture, mode],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => (timedOut = true, child.kill("SIGKILL")), mode === "bare" ? 5_000 : 30_000);
  const [status, stdout] = await Promise.all([child.status, new Response(child.stdout).text()]);
  await child.stderr.cancel().catch(() => {});
  clearTimeout(timer);
  return { code: status.code, out: stdout.slice(0, 4000), timedOut };
}

Deno.test("without the immediate guard, the runtime's immediate loop breaks after a closed-socket write (the bug this guards against)", async () => {
  const r = await run("bare");
  // the loop spins on `_idleNext` of undefined (timed out) or the process dies: it never finishes
  assert.ok(r.timedOut || !r.out.includes("done"), `expected the broken loop, got:\n${r.out}`);
  assert.match(r.out, /_idleNext/);
});

Deno.test("with guardDatabaseConnections, the closed-socket write is handled inside its immediate; the others run, the cleared one does not", async () => {
  const r = await run("guard");
  assert.equal(r.timedOut, false, r.out);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /guard: database connection closed under a pending write: connections renewed/);
  assert.match(r.out, /the next immediate ran/);
  assert.match(r.out, /a later immediate ran/);
  assert.match(r.out, /done/);
  assert.doesNotMatch(r.out, /the cleared immediate ran|_idleNext/);
});
