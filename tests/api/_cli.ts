// The CLI as a user runs it: a subprocess of scripts/cli.ts talking HTTP to the given API.
const cliPath = new URL("../../scripts/cli.ts", import.meta.url).pathname;

/** The CLI as a running process, with extra environment (e.g. SYNCLINE_REALTIME_URL). */
export function cliProcess(api: string, token: string, env: Record<string, string>, ...args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cliPath, ...args],
    env: { SYNCLINE_API_URL: api, SYNCLINE_TOKEN: token, NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

export async function cli(api: string, token: string, ...args: string[]) {
  const out = await cliProcess(api, token, {}, ...args).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
