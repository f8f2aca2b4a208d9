// scripts/stack.sh from a checkout the postgres user cannot reach (under a 0700 folder): the
// cluster falls back to /var/lib/syncline/<hash>, and initdb and pg_ctl use that real path, never
// the link inside the checkout (the socket is in /tmp/syncline-pg-<hash>).
import assert from "node:assert/strict";
import { copyCheckout, sh, socketDirOf } from "./_stack.ts";
import { freePort } from "../../scripts/lib/ports.ts";

Deno.test("stack.sh starts, answers and stops from a checkout under a 0700 folder", async () => {
  const port = String(freePort());
  const priv = Deno.makeTempDirSync({ dir: "/tmp", prefix: "sy-private-" }); // mode 0700, owned by root
  const co = `${priv}/checkout`;
  const env = { SYNCLINE_PG_PORT: port, SYNCLINE_DB_URL: "" };
  let alt = "";
  try {
    await copyCheckout(co);
    const start = await sh(`cd ${co} && unset SYNCLINE_DB_URL && bash scripts/stack.sh start`, env);
    alt = (await sh(`readlink ${co}/.local/pg`)).text.trim();
    assert.ok(start.ok, start.text);
    assert.match(alt, /^\/var\/lib\/syncline\/\d+$/);
    assert.match(start.text, /cluster folder: \/var\/lib\/syncline\//);
    const q = await sh(
      `cd ${co} && unset SYNCLINE_DB_URL && bash scripts/stack.sh psql -Atc "select count(*) > 0 from sync.targets"`,
      env,
    );
    assert.equal(q.text.trim(), "t", q.text);
    const stop = await sh(`cd ${co} && unset SYNCLINE_DB_URL && bash scripts/stack.sh stop`, env);
    assert.ok(stop.ok, stop.text);
  } finally {
    await sh(`cd ${co} && unset SYNCLINE_DB_URL && bash scripts/stack.sh stop`, env).catch(() => {});
    if (alt.startsWith("/var/lib/syncline/")) Deno.removeSync(alt, { recursive: true });
    Deno.removeSync(priv, { recursive: true });
    await Deno.remove(await socketDirOf(co), { recursive: true }).catch(() => {});
  }
});
