// CLI usage errors exit 2 with a message naming the problem, before any request where the command
// line alone is wrong; --help per command lists options, environment variables and exit codes;
// missing credentials name the variables to set.
import assert from "node:assert/strict";
import { adminToken, makeWidgets, testApp } from "./_app.ts";

const cliPath = new URL("../../scripts/cli.ts", import.meta.url).pathname;

async function cli(env: Record<string, string>, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cliPath, ...args],
    env: { NO_COLOR: "1", ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

// nothing listens here: a command that got this far would fail with exit 1 (unreachable)
const NOWHERE = {
  SYNCLINE_API_URL: "http://127.0.0.1:9/sync",
  SYNCLINE_TOKEN: "sb_secret_TESTONLY000000000000000",
};

Deno.test("bad option values and unknown options are usage errors (exit 2) caught before any request", async () => {
  const cases: [string[], RegExp][] = [
    [["widgets", "--since", "yesterday"], /--since takes an ISO date or date-time .* got "yesterday"/],
    [["widgets", "--since", "March 7"], /--since takes an ISO date/],
    [["widgets", "--until", "2026-02-30"], /--until takes an ISO date/],
    [["history", "--limit", "abc"], /--limit takes a positive whole number, got "abc"/],
    [["history", "--limit", "-3"], /--limit/],
    [["stats", "--days", "1.5"], /--days takes a positive whole number/],
    [["cleanup", "--days", "0"], /--days takes a positive whole number, got "0"/],
    [[
      "schedules",
      "add",
      "--name",
      "n",
      "--connector",
      "c",
      "--streams",
      "s",
      "--cron",
      "@daily",
      "--lookback-hours",
      "x",
    ], /--lookback-hours takes a positive number of hours/],
    [["history", "--bogus"], /Unknown option '--bogus'/],
    [["show", "abc"], /Expected a job id, got "abc"/],
    [["widgets", "--full", "--reconcile"], /--full and --reconcile cannot be combined/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(NOWHERE, ...args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(" "));
    assert.match(r.stderr, /^usage: sync /m, args.join(" "));
  }
  const iso = await cli(NOWHERE, "widgets", "--since", "2026-11-01T08:00:00Z", "--no-follow");
  assert.equal(iso.code, 1, "a valid date gets as far as the (unreachable) API");
  assert.match(iso.stderr, /Cannot reach the sync API/);
});

Deno.test("sync bogus: the API's refusal of the input is a usage error (exit 2)", {
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await using t = await testApp(makeWidgets(1));
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, t.app.fetch);
  const env = {
    SYNCLINE_API_URL: `http://127.0.0.1:${server.addr.port}/sync`,
    SYNCLINE_TOKEN: await adminToken(),
  };
  try {
    const bogus = await cli(env, "sync", "bogus");
    assert.equal(bogus.code, 2, bogus.stderr);
    const unknown = await cli(env, "bogus");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown connector "bogus" \(available: widgets\)/);
    const stream = await cli(env, "widgets", "--streams", "orderz", "--no-follow");
    assert.equal(stream.code, 2);
    assert.match(stream.stderr, /Unknown stream "orderz"/);
    const denied = await cli({ ...env, SYNCLINE_TOKEN: "sb_secret_WRONG00000000000000000" }, "history");
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /\(check SYNCLINE_TOKEN\)/);
  } finally {
    await server.shutdown();
  }
});

Deno.test("missing credentials name the variables to set (exit 2, no request)", async () => {
  const r = await cli({ SYNCLINE_API_URL: "http://127.0.0.1:9/sync" }, "history");
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /Missing credentials: set SYNCLINE_TOKEN .*sb_secret_.*or SYNCLINE_JWT_SECRET on a local stack/,
  );
});

Deno.test("--help of every command lists its options, the environment variables and the exit codes", async () => {
  for (
    const command of [
      [],
      ["start"],
      ["widgets"],
      ["history"],
      ["show"],
      ["follow"],
      ["cancel"],
      ["failed"],
      [
        "stats",
      ],
      ["schedules"],
      ["cleanup"],
      ["notifications"],
    ]
  ) {
    const r = await cli({}, ...command, "--help");
    assert.equal(r.code, 0, command.join(" "));
    assert.match(r.stdout, /^usage:\s+sync/, command.join(" "));
    for (const v of ["SYNCLINE_API_URL", "SYNCLINE_TOKEN", "SYNCLINE_JWT_SECRET"]) {
      assert.match(r.stdout, new RegExp(v), `${command.join(" ")} --help names ${v}`);
    }
    assert.match(
      r.stdout,
      /exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 +usage error.*\n {2}3 +partial/,
      command.join(" "),
    );
  }
  const history = await cli({}, "history", "--help");
  assert.match(history.stdout, /--limit N/);
  assert.match(history.stdout, /--status S/);
  const start = await cli({}, "widgets", "--help");
  assert.match(start.stdout, /--since DATE +read records updated since an ISO date/);
  const schedules = await cli({}, "schedules", "--help");
  assert.match(schedules.stdout, /--cron EXPR .*MON-FRI/);
});
