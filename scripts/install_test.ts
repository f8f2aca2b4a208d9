// deno task install / uninstall as a user runs them: the dry run against a project (nothing may
// run: the CLI is /bin/false), usage errors, and the database half end to end against a local
// database with stand-ins for Vault and pg_net (Debian's PostgreSQL has neither).
import assert from "node:assert/strict";
import { createTestDatabase } from "../tests/_support/db.ts";

const root = new URL("..", import.meta.url).pathname;
const REF = "abcdefghijklmnopqrst";

async function installer(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/install.ts", ...args],
    cwd: root,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("install --dry-run prints every command and statement and runs none", async () => {
  // /bin/false as the CLI: any command actually run would fail the install
  const r = await installer(["install", "--project-ref", REF, "--dry-run"], { SUPABASE_CLI: "/bin/false" });
  assert.equal(r.code, 0, r.stderr);
  for (
    const line of [
      "$ supabase projects list -o json",
      `$ supabase db push --remote=${REF} --include-all --yes`,
      `$ supabase secrets list --remote=${REF} -o json`,
      `$ supabase secrets set --env-file <private file: SYNCLINE_WORKER_SECRET=...> --remote=${REF}`,
      `$ supabase functions deploy sync --remote=${REF} --use-api`,
      `select step, outcome, detail from sync.install('https://${REF}.supabase.co/functions/v1/sync/worker', ` +
      `'<worker secret>')`,
      "from vault.decrypted_secrets where name = 'syncline_worker_secret'",
    ]
  ) assert.ok(r.stdout.includes(line), `dry run lacks: ${line}\n${r.stdout}`);
  assert.match(r.stdout, /dry run: these commands and statements would run, nothing is changed/);
  const installLine = r.stdout.split("\n").find((l) => l.includes("sync.install("))!;
  assert.doesNotMatch(installLine, /[0-9a-f]{32}/, "the generated secret is never printed");
});

Deno.test("uninstall --dry-run keeps data unless --drop-data, and says what would be dropped", async () => {
  const keep = await installer(["uninstall", "--project-ref", REF, "--dry-run"], {
    SUPABASE_CLI: "/bin/false",
  });
  assert.equal(keep.code, 0, keep.stderr);
  assert.match(keep.stdout, /select step, outcome, detail from sync\.uninstall\(\)/);
  assert.match(keep.stdout, /supabase functions delete sync --remote=abcdefghijklmnopqrst --yes/);
  assert.doesNotMatch(keep.stdout, /drop schema/);
  const drop = await installer(["uninstall", "--project-ref", REF, "--drop-data", "--dry-run"], {
    SUPABASE_CLI: "/bin/false",
  });
  assert.equal(drop.code, 0, drop.stderr);
  assert.match(drop.stdout, /drop schema if exists "sync" cascade/);
  assert.match(
    drop.stdout,
    /delete from supabase_migrations\.schema_migrations where version = any\('\{2026/,
  );
});

Deno.test("install and uninstall refuse bad usage with exit 2 and a message naming the problem", async () => {
  const cases: [string[], RegExp][] = [
    [["install"], /exactly one of --project-ref <ref> or --db-url/],
    [["install", "--project-ref", REF, "--db-url", "postgres://x/y"], /exactly one of/],
    [["install", "--project-ref", "My-Project"], /not a Supabase project ref/],
    [["install", "--db-url", "postgres://u@h/d"], /--worker-url is required with --db-url/],
    [["install", "--project-ref", REF, "--worker-url", "http://example.test/w"], /must be https:\/\//],
    [["install", "--project-ref", REF, "--drop-data"], /--drop-data belongs to uninstall/],
    [["install", "--project-ref", REF, "--bogus"], /Unknown option '--bogus'/],
    [["reinstall"], /Unknown command "reinstall"/],
  ];
  for (const [args, message] of cases) {
    const r = await installer(args, { SUPABASE_CLI: "/bin/false" });
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message, args.join(" "));
    assert.match(r.stderr, /Usage:/);
  }
});

Deno.test("install --db-url stores the Vault secrets, wakes the worker through pg_net, and changes nothing the second time; uninstall keeps data unless --drop-data", async () => {
  await using db = await createTestDatabase();
  await db.sql.file(`${root}tests/_support/supabase_standins.sql`);
  const url = db.url;
  const worker = "http://127.0.0.1:9/sync/worker";

  const first = await installer(["install", "--db-url", url, "--worker-url", worker]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /= unchanged migrations \(supabase db push\)/);
  assert.match(first.stdout, /\+ created +vault secret syncline_worker_url/);
  assert.match(first.stdout, /\+ created +vault secret syncline_worker_secret/);
  assert.match(first.stdout, /! skipped +extension pg_cron — pg_cron lives in database "postgres"/);
  assert.match(first.stdout, /✓ ok +worker wake-up — the worker endpoint is called through pg_net/);
  assert.match(first.stdout, /! skipped +function sync — self-hosted/);
  assert.match(first.stdout, /supabase secrets set|set SQUARE_ACCESS_TOKEN=\.\.\./);
  assert.ok(!first.stdout.includes("postgres:postgres@"), "the database password is never printed");

  const secrets = await db.sql<{ name: string; secret: string }[]>`
    select name, secret from vault.secrets order by name`;
  assert.deepEqual(secrets.map((s) => s.name), ["syncline_worker_secret", "syncline_worker_url"]);
  assert.match(secrets[0].secret, /^[0-9a-f]{64}$/);
  assert.equal(secrets[1].secret, worker);
  const [sent] = await db.sql<{ url: string; auth: string }[]>`
    select url, headers ->> 'Authorization' as auth from net.requests_sent order by id desc limit 1`;
  assert.equal(sent.url, worker);
  assert.equal(sent.auth, `Bearer ${secrets[0].secret}`);

  const second = await installer(["install", "--db-url", url, "--worker-url", worker]);
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.match(second.stdout, /Nothing changed: Syncline is already installed as asked/);
  assert.match(second.stdout, /= unchanged +vault secret syncline_worker_secret/);
  const [again] = await db.sql<{ secret: string }[]>`
    select secret from vault.secrets where name = 'syncline_worker_secret'`;
  assert.equal(again.secret, secrets[0].secret, "a re-run reuses the stored secret");

  const off = await installer(["uninstall", "--db-url", url]);
  assert.equal(off.code, 0, off.stdout + off.stderr);
  assert.match(off.stdout, /- removed +vault secrets — 2 secret\(s\)/);
  assert.match(off.stdout, /= kept +schemas sync, (\w+, )*square.* — synced data stays/);
  const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from vault.secrets`;
  assert.equal(n, 0);
  const [{ present }] = await db.sql<
    { present: boolean }[]
  >`select to_regclass('square.orders') is not null as present`;
  assert.ok(present, "data stays without --drop-data");

  const drop = await installer(["uninstall", "--db-url", url, "--drop-data"]);
  assert.equal(drop.code, 0, drop.stdout + drop.stderr);
  assert.match(drop.stdout, /- removed +schema sync/);
  assert.match(drop.stdout, /- removed +schema square/);
  const [{ left }] = await db.sql<{ left: number }[]>`
    select count(*)::int as left from pg_namespace where nspname in ('sync', 'square', 'highlevel', 'bubble')`;
  assert.equal(left, 0);
  const [{ migrations }] = await db.sql<{ migrations: number }[]>`
    select count(*)::int as migrations from supabase_migrations.schema_migrations`;
  assert.equal(migrations, 0, "a later install applies every migration again");

  const nothing = await installer(["uninstall", "--db-url", url]);
  assert.equal(nothing.code, 0, nothing.stdout + nothing.stderr);
  assert.match(nothing.stdout, /no sync schema: nothing to remove/);
});
