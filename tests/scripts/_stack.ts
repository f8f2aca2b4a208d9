// Shared pieces of the tests that run scripts/stack.sh from a copy of the checkout elsewhere.
export const ROOT = new URL("../../", import.meta.url).pathname;

/** Runs a bash script; answers whether it succeeded and its stdout and stderr together. */
export async function sh(script: string, env: Record<string, string> = {}) {
  const out = await new Deno.Command("bash", { args: ["-c", script], env, stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return { ok: out.success, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

/** Copies what stack.sh needs (scripts, migrations, the installed tools) into a checkout at `co`. */
export async function copyCheckout(co: string): Promise<void> {
  const copy = await sh(
    `mkdir -p ${co}/.local && cp -r ${ROOT}scripts ${ROOT}supabase ${co}/ &&
     ln -s ${ROOT}.local/tools ${co}/.local/tools`,
  );
  if (!copy.ok) throw new Error(`copying the checkout to ${co} failed: ${copy.text}`);
}

/** The Unix socket folder stack.sh uses for the checkout at `co` (/tmp/syncline-pg-<cksum of its path>). */
export async function socketDirOf(co: string): Promise<string> {
  return `/tmp/syncline-pg-${(await sh(`printf '%s' ${co} | cksum | cut -d' ' -f1`)).text.trim()}`;
}
