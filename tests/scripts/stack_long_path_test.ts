// scripts/stack.sh from a checkout whose path is long: PostgreSQL refuses Unix socket paths over 107
// bytes, so the socket lives in a short folder under /tmp named after the checkout, never in
// .local/pg/run (which failed from a checkout path over ~75 characters: "could not create any
// Unix-domain sockets").
import assert from "node:assert/strict";
import { copyCheckout, sh, socketDirOf } from "./_stack.ts";
import { freePort } from "../../scripts/lib/ports.ts";

Deno.test("stack.sh starts, answers and stops from a checkout path of 150 characters", async () => {
  const port = String(freePort());
  const base = Deno.makeTempDirSync({ dir: "/tmp", prefix: "sy-long-" });
  Deno.chmodSync(base, 0o755); // postgres reaches the checkout: the cluster stays inside it
  const co = `${base}/${"a-rather-long-folder-name-".repeat(5)}checkout`;
  assert.ok(co.length >= 150, `${co.length}`);
  const env = { SYNCLINE_PG_PORT: port, SYNCLINE_DB_URL: "" };
  const stack = (cmd: string) => sh(`cd ${co} && unset SYNCLINE_DB_URL && bash scripts/stack.sh ${cmd}`, env);
  const socketDir = await socketDirOf(co);
  try {
    await copyCheckout(co);
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
