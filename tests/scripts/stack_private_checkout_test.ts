// scripts/stack.sh from a checkout the postgres user cannot reach (under a 0700 folder): the
// cluster falls back to /var/lib/syncline/<hash>, and initdb, pg_ctl and the socket use that real
// path, never the link inside the checkout.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;

async function sh(script: string, env: Record<string, string> = {}) {
  const out = await new Deno.Command("bash", { args: ["-c", script], env, stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return { ok: out.success, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

Deno.test("stack.sh starts, answers and stops from a checkout under a 0700 folder", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = String((l.addr as Deno.NetAddr).port);
  l.close();
  const priv = Deno.makeTempDirSync({ dir: "/tmp", prefix: "sy-private-" }); // mode 0700, owned by root
  const co = `${priv}/checkout`;
  const env = { SYNCLINE_PG_PORT: port, SYNCLINE_DB_URL: "" };
  let alt = "";
  try {
    const copy = await sh(
      `mkdir -p ${co}/.local && cp -r ${ROOT}scripts ${ROOT}supabase ${co}/ &&
       ln -s ${ROOT}.local/tools ${co}/.local/tools`,
    );
    assert.ok(copy.ok, copy.text);
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
  }
});
