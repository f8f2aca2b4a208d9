// scripts/lib.sh's log(): the dimmed "[syncline]" prefix only on a terminal, and never with NO_COLOR set
// (https://no-color.org); piped output and NO_COLOR=1 runs carry no escape codes.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;
const ESC = "\x1b[";

/** Runs log() with stderr on a pseudo-terminal (`script`) or a pipe; answers what was written. */
async function logged(opts: { tty: boolean; env?: Record<string, string> }): Promise<string> {
  const inner = `source ${ROOT}scripts/lib.sh; log hello`;
  const [cmd, args] = opts.tty
    ? ["script", ["-qec", `bash -c '${inner}'`, "/dev/null"]]
    : ["bash", ["-c", inner]];
  const env: Record<string, string> = { PATH: Deno.env.get("PATH") ?? "", ...opts.env };
  const out = await new Deno.Command(cmd, { args, env, clearEnv: true, stdout: "piped", stderr: "piped" })
    .output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const dec = new TextDecoder();
  return dec.decode(out.stdout) + dec.decode(out.stderr);
}

Deno.test("log() dims its prefix on a terminal, and NO_COLOR or a pipe turns the escape codes off", async () => {
  const tty = await logged({ tty: true });
  assert.ok(tty.includes(`${ESC}2m[syncline]`), JSON.stringify(tty));
  const noColor = await logged({ tty: true, env: { NO_COLOR: "1" } });
  assert.ok(!noColor.includes(ESC), JSON.stringify(noColor));
  assert.match(noColor, /\[syncline\] hello/);
  const piped = await logged({ tty: false });
  assert.ok(!piped.includes(ESC), JSON.stringify(piped));
  assert.equal(piped, "[syncline] hello\n");
  // NO_COLOR set but empty means nothing (no-color.org)
  assert.ok((await logged({ tty: true, env: { NO_COLOR: "" } })).includes(`${ESC}2m`));
});
