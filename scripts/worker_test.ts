// deno task worker as a user starts it: --help prints the usage and exits 0 without touching the
// database; an unknown option or a bad value is a message and exit 2, never a stack trace.
import assert from "node:assert/strict";

const root = new URL("..", import.meta.url).pathname;

async function worker(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/worker.ts", ...args],
    cwd: root,
    // no database: a worker that tried to connect would hang or fail, not print its usage
    env: { NO_COLOR: "1", SUPABASE_DB_URL: "postgres://nobody@127.0.0.1:1/none" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("worker --help and -h print the usage and exit 0", async () => {
  for (const flag of ["--help", "-h"]) {
    const r = await worker([flag]);
    assert.equal(r.code, 0, `${flag}: ${r.stderr}`);
    assert.match(r.stdout, /^Usage: deno task worker/m);
    for (
      const option of ["--once", "--budget-ms", "--poll-ms", "--lease-seconds", "--concurrency", "--quiet"]
    ) {
      assert.ok(r.stdout.includes(option), `${flag} lacks ${option}`);
    }
    assert.equal(r.stderr, "");
  }
});

Deno.test("worker refuses an unknown option or a bad value with a message and exit 2, no stack trace", async () => {
  const cases: [string[], RegExp][] = [
    [["--bogus"], /Unknown option '--bogus'/],
    [["--once", "stray"], /Unexpected argument 'stray'/],
    [["--concurrency", "0"], /--concurrency takes a whole number from 1 to 64/],
    [["--poll-ms", "soon"], /--poll-ms takes a whole number of milliseconds/],
  ];
  for (const [args, message] of cases) {
    const r = await worker(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message, args.join(" "));
    assert.match(r.stderr, /deno task worker --help/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  }
});
