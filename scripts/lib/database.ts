// Creates a database on the local stack with the Supabase baseline and our migrations,
// applied by the Supabase CLI exactly as `scripts/stack.sh` does for the main database.
import postgres from "postgres";

export function databaseUrl(name: string): string {
  const url = new URL(
    Deno.env.get("SYNCLINE_DB_URL") ?? "postgresql://postgres:postgres@127.0.0.1:54322/postgres",
  );
  url.pathname = `/${name}`;
  return url.toString();
}

async function run(cmd: string, args: string[], what: string): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(
      `${what} failed:\n${new TextDecoder().decode(out.stdout)}${new TextDecoder().decode(out.stderr)}`,
    );
  }
}

/** Drops and re-creates `name`, then applies the baseline and every migration. */
export async function freshDatabase(name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Bad database name "${name}"`);
  const admin = postgres(databaseUrl("postgres"), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const root = new URL("../..", import.meta.url).pathname;
  const pgbin = Deno.env.get("PGBIN") ?? "/usr/lib/postgresql/15/bin";
  await run(`${pgbin}/psql`, [
    url,
    "-q",
    "-X",
    "-v",
    "ON_ERROR_STOP=1",
    "-f",
    `${root}scripts/supabase-baseline.sql`,
  ], "baseline");
  await run(
    "supabase",
    ["migration", "up", `--remote=${url}`, "--include-all", "--yes", "--workdir", root],
    "migrations",
  );
  return url;
}
