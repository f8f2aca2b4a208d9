// scripts/stack.sh from a checkout whose path is long: PostgreSQL refuses Unix socket paths over 107
// bytes, so the socket lives in a short folder under /tmp named after the checkout, never in
// .local/pg/run (which failed from a checkout path over ~75 characters: "could not create any
// Unix-domain sockets").
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;

async function sh(script: string, env: Record<string, string> = {}) {
  const out = await new Deno.Command("bash", { args: ["-c", script], env, stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return { ok: out.success, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

Deno.test("stack.sh starts, answers and stops from a checkout path of 150 characters", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = String((l.addr as Deno.NetAddr).port);
  l.close();
  const base = Deno.makeTempDirSync({ dir: "/tmp", prefix: "sy-long-" });
  Deno.chmodSync(base, 0o755); // postgres reaches the checkout: the cluster stays inside it
  const co = `${base}/${"a-rather-long-folder-name-".repeat(5)}checkout`;
  assert.ok(co.length >= 150, `${co.length}`);
  const env = { SYNCLINE_PG_PORT: port, SYNCLINE_DB_URL: "" };
  const stack = (cmd: string) => sh(`cd ${co} && unset SYNCLINE_DB_URL && bash scripts/stack.sh ${cmd}`, env);
  const socketDir = `/tmp/syncline-pg-${(await sh(`printf '%s' ${co} | cksum | cut -d' ' -f1`)).text.trim()}`;
  try {
    const copy = await sh(
      `mkdir -p ${co}/.local && cp -r ${ROOT}scripts ${ROOT}supabase ${co}/ &&
       ln -s ${ROOT}.local/tools ${co}/.local/tools`,
    );
    assert.ok(copy.ok, copy.text);
    const start = await stack("start");
    assert.ok(start.ok, start.text);
    assert.ok(!(await sh(`test -L ${co}/.local/pg`)).ok, "the cluster should live in the checkout");
    const socket = `${socketDir}/.s.PGSQL.${port}`;
    assert.ok((await sh(`test -S ${socket}`)).ok, `no socket at ${socket}`);
    assert.ok(new TextEncoder().encode(socket).length <= 107);
    // the socket answers, not only TCP
    const overSocket = await sh(
      `/usr/lib/postgresql/15/bin/psql -h ${socketDir} -p ${port} -U postgres -Atc "select count(*) > 0 from sync.targets"`,
    );
    assert.equal(overSocket.text.trim(), "t", overSocket.text);
    const stop = await stack("stop");
    assert.ok(stop.ok, stop.text);
    // a socket folder removed while stopped (a /tmp cleaner) is made again
    Deno.removeSync(socketDir, { recursive: true });
    const again = await stack("start");
    assert.ok(again.ok, again.text);
    assert.ok((await sh(`test -S ${socket}`)).ok, `no socket at ${socket} after a restart`);
  } finally {
    await stack("stop").catch(() => {});
    Deno.removeSync(base, { recursive: true });
    try {
      Deno.removeSync(socketDir, { recursive: true });
    } catch { /* already gone */ }
  }
});
