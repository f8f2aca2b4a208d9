// --data-type (the name the team's old CLI used) is accepted as another name for --streams: the
// started job gets the same streams; giving both with different values is a usage error (exit 2).
import assert from "node:assert/strict";

const cliPath = new URL("../../scripts/cli.ts", import.meta.url).pathname;

Deno.test("sync <connector> --data-type a,b starts the same job as --streams a,b", async () => {
  const bodies: Record<string, unknown>[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const body = await req.json();
    bodies.push(body);
    const job = {
      id: bodies.length,
      connector: body.connector,
      mode: body.mode,
      streams: body.streams ?? [],
    };
    return Response.json({ job }, { status: 202 });
  });
  const run = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", cliPath, ...args, "--no-follow"],
      env: {
        SYNCLINE_API_URL: `http://127.0.0.1:${server.addr.port}/sync`,
        SYNCLINE_TOKEN: "sb_secret_TESTONLY000000000000000",
        NO_COLOR: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  };
  try {
    const alias = await run("highlevel", "--data-type", "contacts,opportunities");
    assert.equal(alias.code, 0, alias.stderr);
    assert.match(alias.stdout, /started job 1: highlevel incremental of contacts, opportunities/);
    const named = await run("highlevel", "--streams", "contacts,opportunities");
    assert.equal(named.code, 0, named.stderr);
    assert.deepEqual(bodies[0], bodies[1]);
    const both = await run("highlevel", "--streams", "contacts", "--data-type", "opportunities");
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--data-type is another name for --streams: give one of them/);
    assert.equal(bodies.length, 2, "the usage error sends no request");
  } finally {
    await server.shutdown();
  }
});
