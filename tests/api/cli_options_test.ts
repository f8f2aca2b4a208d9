// Each CLI command takes its own options only (scripts/cli/commands.ts): an option of another command,
// or of none, exits 2 with a message naming the option and the command, before any request; each
// command's --help and the reference in docs/cli.md come from the same definitions.
import assert from "node:assert/strict";
import { allOptions, COMMANDS, TOP_OPTIONS } from "../../scripts/cli/commands.ts";
import { helpFor, optionLabel } from "../../scripts/cli/help.ts";
import { BEGIN, END, withReference } from "../../scripts/cli/write_docs.ts";

const cliPath = new URL("../../scripts/cli.ts", import.meta.url).pathname;

/** A stand-in API that counts requests and refuses each (401: the CLI exits 1). */
function countingApi() {
  let requests = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, () => {
    requests++;
    return Response.json({ error: { code: "unauthorized", message: "no" } }, { status: 401 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/sync`,
    get requests() {
      return requests;
    },
    close: () => server.shutdown(),
  };
}

async function cli(api: string, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cliPath, ...args],
    env: { NO_COLOR: "1", SYNCLINE_API_URL: api, SYNCLINE_TOKEN: "sb_secret_TESTONLY000000000000000" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("an option of another command is a usage error naming the option and the command, sent nowhere", async () => {
  const api = countingApi();
  try {
    const cases: [string[], RegExp][] = [
      [
        ["history", "--shards", "4", "--full"],
        /Unknown option '--shards' for "sync history" \(it is an option of "sync start"/,
      ],
      [["history", "--full"], /Unknown option '--full' for "sync history"/],
      [["show", "1", "--limit", "5"], /Unknown option '--limit' for "sync show".*takes no options/],
      [["schedules", "--full"], /Unknown option '--full' for "sync schedules".*"sync schedules add"/],
      [
        ["schedules", "enable", "3", "--cron", "@daily"],
        /Unknown option '--cron' for "sync schedules enable"/,
      ],
      [["failed", "retry", "widgets", "--stream", "s"], /Unknown option '--stream' for "sync failed retry"/],
      [["stats", "freshness", "--days", "3"], /Unknown option '--days' for "sync stats freshness"/],
      [["cleanup", "--days", "3", "--connector", "c"], /Unknown option '--connector' for "sync cleanup"/],
      [["tickets", "set", "p1", "--full"], /Unknown option '--full' for "sync tickets set"/],
      [["widgets", "--invoice", "7"], /Unknown option '--invoice' for "sync widgets".*"sync bubble"/],
      [["widgets", "--cron", "@daily"], /Unknown option '--cron' for "sync widgets"/],
      [["bubble", "report", "3", "--full"], /Unknown option '--full' for "sync bubble report"/],
      [["metrics", "irelandpay", "--days", "3"], /Unknown option '--days' for "sync metrics"/],
      [["--version", "--full"], /Unknown option '--full' for "sync"/],
      [["history", "--version"], /Unknown option '--version' for "sync history".*"sync \(no command\)"/],
      [["history", "-x"], /Unknown option '-x' for "sync history"/],
      [
        ["history", "--bogus"],
        /Unknown option '--bogus' for "sync history"; "sync history" takes --connector/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(api.url, ...args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(" "));
      assert.match(r.stderr, /^usage:\s+sync/m, args.join(" "));
    }
    assert.equal(api.requests, 0, "no command line above reached the API");
  } finally {
    await api.close();
  }
});

Deno.test("each command's own options still reach the API", async () => {
  const api = countingApi();
  try {
    const lines = [
      ["widgets", "--streams", "widgets", "--full", "--shards", "4", "--no-follow"],
      ["bubble", "--invoice", "7", "--force", "--no-follow"],
      ["bubble", "report", "3", "--invoice", "7"],
      ["history", "--connector", "widgets", "--status", "failed", "--limit", "5"],
      ["failed", "list", "--connector", "widgets", "--stream", "s"],
      ["failed", "retry", "widgets", "--ids", "1,2", "--account", "default"],
      ["stats", "trends", "--days", "3", "--connector", "widgets"],
      ["schedules", "add", "--name", "n", "--connector", "c", "--streams", "s", "--cron", "@daily", "--full"],
      ["promote", "roots", "--status", "failed", "--limit", "3"],
      ["tickets", "set", "p1", "--type", "T", "--inactive"],
      ["cleanup", "--days", "3", "--batch-size", "10"],
      ["metrics", "irelandpay", "--mid", "1", "--from", "2024-04"],
    ];
    let expected = 0;
    for (const args of lines) {
      const r = await cli(api.url, ...args);
      assert.equal(r.code, 1, `${args.join(" ")} gets as far as the API (which refuses it): ${r.stderr}`);
      assert.match(r.stderr, /check SYNCLINE_TOKEN/, args.join(" "));
      assert.equal(api.requests, ++expected, args.join(" "));
    }
  } finally {
    await api.close();
  }
});

Deno.test("an option name has one type in every command that takes it", () => {
  const seen = new Map<string, string>();
  const all = [
    TOP_OPTIONS,
    ...Object.values(COMMANDS).flatMap((c) => [
      c.options,
      ...Object.values(c.subcommands ?? {}).map((s) => s.options),
    ]),
  ];
  for (const options of all) {
    for (const [name, o] of Object.entries(options)) {
      const kind = o.type;
      assert.equal(seen.get(name) ?? kind, kind, `--${name}`);
      seen.set(name, kind);
    }
  }
  assert.deepEqual(new Set(Object.keys(allOptions())), new Set(seen.keys()));
});

Deno.test("each command's --help lists every option of its definition", () => {
  for (const [name, def] of Object.entries(COMMANDS)) {
    const help = helpFor(name);
    assert.ok(help.startsWith(`usage: ${def.usage}\n`), name);
    for (const options of [def.options, ...Object.values(def.subcommands ?? {}).map((s) => s.options)]) {
      for (const [option, o] of Object.entries(options)) {
        assert.match(
          help,
          new RegExp(`^  ${RegExp.escape(optionLabel(option, o))} `, "m"),
          `${name}: --${option}`,
        );
      }
    }
  }
});

Deno.test("the overview (sync --help) names every command and the options of start and history", () => {
  const help = helpFor();
  for (const name of Object.keys(COMMANDS)) assert.match(help, new RegExp(`\\b${name}\\b`), name);
  for (const command of ["start", "history"]) {
    for (const [option, o] of Object.entries(COMMANDS[command].options)) {
      assert.ok(help.includes(`[${optionLabel(option, o)}]`), `${command} --${option}`);
    }
  }
});

/** A markdown table's text without deno fmt's column padding. */
const unpadded = (s: string) =>
  s.split("\n").map((l) => l.replace(/ +/g, " ").replace(/-{3,}/g, "---").trim()).join("\n");

Deno.test("docs/cli.md lists every option of every command as the definitions say", async () => {
  const doc = await Deno.readTextFile(new URL("../../docs/cli.md", import.meta.url));
  assert.ok(doc.includes(BEGIN) && doc.includes(END), "docs/cli.md has the cli-options markers");
  assert.equal(
    unpadded(doc),
    unpadded(withReference(doc)),
    "docs/cli.md is behind scripts/cli/commands.ts: run deno run -A scripts/cli/write_docs.ts && deno fmt docs/cli.md",
  );
  for (const def of Object.values(COMMANDS)) {
    for (const option of Object.keys(def.options)) {
      assert.match(doc, new RegExp(`\`--${option}[ \`]`), `--${option}`);
    }
  }
});
