// The CLI as a user runs it: a subprocess with the API URL and an admin token.
const cliPath = new URL("../../scripts/cli.ts", import.meta.url).pathname;

export async function cli(api: string, token: string, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cliPath, ...args],
    env: { SYNCLINE_API_URL: api, SYNCLINE_TOKEN: token, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
