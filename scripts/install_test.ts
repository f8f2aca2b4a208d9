// deno task install / uninstall as a user runs them: the dry run against a project (nothing may
// run: the CLI is /bin/false), usage errors, and the database half end to end against a local
// database with stand-ins for Vault and pg_net (Debian's PostgreSQL has neither).
import assert from "node:assert/strict";
import postgres from "postgres";
import { SCHEMA_VERSION } from "../functions/_shared/version.ts";
import { createTestDatabase, dbUrl } from "../tests/_support/db.ts";
import { supabaseBin } from "./install/supabase_cli.ts";

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

/** A stand-in Supabase CLI for a hosted project: it logs every call and answers only read-only ones. */
async function fakeCli(applied: string[]): Promise<{ bin: string; calls: () => string[] }> {
  const dir = await Deno.makeTempDir({ prefix: "syncline-fake-cli-" });
  const log = `${dir}/calls.log`;
  const bin = `${dir}/supabase`;
  await Deno.writeTextFile(
    bin,
    `#!/usr/bin/env bash
echo "$*" >> '${log}'
case "$1 $2" in
  "projects list") echo '[]' ;;
  "db query")
    file=""; prev=""; for a in "$@"; do [ "$prev" = "-f" ] && file="$a"; prev="$a"; done
    if grep -q "supabase_migrations.schema_migrations" "$file" && ! grep -qiE "^\\s*(insert|update|delete)" "$file"; then
      echo '[{"applied": "${applied.join(",")}"}]'
    elif grep -q "from sync.install_state where key" "$file" && ! grep -qi "insert into" "$file"; then
      echo '[{"function_hash": "an older deploy"}]'
    else echo "a dry run ran a statement that is not a read: $(cat "$file")" >&2; exit 1; fi ;;
  *) echo "a dry run ran: supabase $*" >&2; exit 1 ;;
esac
`,
  );
  await Deno.chmod(bin, 0o755);
  return { bin, calls: () => Deno.readTextFileSync(log).trim().split("\n") };
}

function migrationNames(): string[] {
  return [...Deno.readDirSync(`${root}supabase/migrations`)].map((e) => e.name).filter((n) =>
    n.endsWith(".sql")
  )
    .sort();
}

Deno.test("install --dry-run lists the pending migrations by name, runs only reads, prints the rest", async () => {
  const names = migrationNames();
  // a history without the repair migration and the one before it: that one is recorded as applied,
  // not run; the repair migration and every later one are pending
  const repair = names.findIndex((n) => n.startsWith("20261209000000_"));
  const fake = await fakeCli(names.slice(0, repair - 1).map((n) => n.split("_")[0]));
  const r = await installer(["install", "--project-ref", REF, "--dry-run"], { SUPABASE_CLI: fake.bin });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const pending = names.slice(repair);
  assert.ok(
    r.stdout.includes(
      `recorded as applied, not run (1; the repair migration does their work):\n        ${
        names[repair - 1]
      }\n` +
        `      pending migrations (${pending.length}), schema ${
          names[repair - 2].split("_")[0]
        } → ${SCHEMA_VERSION}:\n` +
        pending.map((n) => `        ${n}\n`).join(""),
    ),
    r.stdout,
  );
  assert.match(r.stdout, /function sync: its sources changed since the last install, so it is deployed:/);
  for (
    const line of [
      "$ supabase projects list -o json",
      `$ supabase migration repair --status applied ${names[repair - 1].split("_")[0]} --remote=${REF} --yes`,
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
  // the CLI ran only the login check and the two reads
  assert.deepEqual(fake.calls().map((c) => c.split(" --")[0]), [
    "projects list -o json",
    "db query",
    "db query",
  ]);
});

Deno.test("install --dry-run says when nothing is pending", async () => {
  const fake = await fakeCli(migrationNames().map((n) => n.split("_")[0]));
  const r = await installer(["install", "--project-ref", REF, "--dry-run"], { SUPABASE_CLI: fake.bin });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`no pending migrations: the database is at schema ${SCHEMA_VERSION}`));
  assert.doesNotMatch(r.stdout, /supabase db push/);
});

Deno.test("uninstall --dry-run keeps data unless --drop-data, and says what would be dropped", async () => {
  const fake = await fakeCli([]);
  const keep = await installer(["uninstall", "--project-ref", REF, "--dry-run"], {
    SUPABASE_CLI: fake.bin,
  });
  assert.equal(keep.code, 0, keep.stderr);
  assert.match(keep.stdout, /select step, outcome, detail from sync\.uninstall\(\)/);
  assert.match(keep.stdout, /supabase functions delete sync --remote=abcdefghijklmnopqrst --yes/);
  assert.doesNotMatch(keep.stdout, /drop schema/);
  const drop = await installer(["uninstall", "--project-ref", REF, "--drop-data", "--dry-run"], {
    SUPABASE_CLI: fake.bin,
  });
  assert.equal(drop.code, 0, drop.stderr);
  assert.match(drop.stdout, /drop schema if exists "sync" cascade/);
  const calls = fake.calls().map((c) => c.split(" --")[0]);
  assert.deepEqual(calls, ["projects list -o json", "projects list -o json"], "only the login check ran");
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
  assert.match(
    first.stdout,
    new RegExp(`= unchanged +migrations — none pending \\(schema ${SCHEMA_VERSION}\\)`),
  );
  assert.doesNotMatch(first.stdout, /supabase db push/, "nothing pending: no push");
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

/** A database installed by an earlier release: the baseline and every migration but the newest `behind`. */
async function olderDatabase(behind: number) {
  const base = Deno.env.get("SYNCLINE_DB_URL") ?? "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
  const name = `syncline_t_up_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = dbUrl(name);
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  await sql.file(`${root}scripts/supabase-baseline.sql`);
  const work = await Deno.makeTempDir({ prefix: "syncline-older-" });
  await Deno.mkdir(`${work}/supabase/migrations`, { recursive: true });
  await Deno.copyFile(`${root}supabase/config.toml`, `${work}/supabase/config.toml`);
  for (const m of migrationNames().slice(0, -behind)) {
    await Deno.copyFile(`${root}supabase/migrations/${m}`, `${work}/supabase/migrations/${m}`);
  }
  const up = await new Deno.Command(supabaseBin(root), {
    args: ["migration", "up", `--remote=${url}`, "--include-all", "--yes", "--workdir", work],
    env: { PGSSLMODE: "disable" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(up.success, new TextDecoder().decode(up.stderr));
  await Deno.remove(work, { recursive: true });
  await sql.file(`${root}tests/_support/supabase_standins.sql`);
  return {
    url,
    sql,
    async [Symbol.asyncDispose]() {
      await sql.end({ timeout: 5 });
      const admin = postgres(base, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

Deno.test("install on an existing install is the upgrade: --dry-run names the pending migrations and changes nothing, install applies only those and says so", async () => {
  // a database one migration older than the repair migration (20261209000000): that migration is
  // superseded by the repair, which is pending with every migration after it
  const names = migrationNames();
  const repair = names.findIndex((n) => n.startsWith("20261209000000_"));
  const behind = names.length - repair + 1;
  const pending = names.slice(repair);
  await using db = await olderDatabase(behind);
  const worker = "http://127.0.0.1:9/sync/worker";
  const history = () =>
    db.sql<{ version: string }[]>`select version from supabase_migrations.schema_migrations order by version`;
  const before = (await history()).map((r) => r.version);
  assert.deepEqual(before, names.slice(0, -behind).map((n) => n.split("_")[0]));

  const dry = await installer(["install", "--db-url", db.url, "--worker-url", worker, "--dry-run"]);
  assert.equal(dry.code, 0, dry.stdout + dry.stderr);
  assert.ok(
    dry.stdout.includes(
      `recorded as applied, not run (1; the repair migration does their work):\n        ${
        names[repair - 1]
      }\n`,
    ),
    dry.stdout,
  );
  assert.ok(
    dry.stdout.includes(
      `pending migrations (${pending.length}), schema ${before.at(-1)} → ${SCHEMA_VERSION}:\n${
        pending.map((n) => `        ${n}\n`).join("")
      }`,
    ),
    dry.stdout,
  );
  assert.match(dry.stdout, /supabase migration repair --status applied 20261208100000 --remote=/);
  assert.deepEqual((await history()).map((r) => r.version), before, "a dry run applies nothing");

  const up = await installer(["install", "--db-url", db.url, "--worker-url", worker]);
  assert.equal(up.code, 0, up.stdout + up.stderr);
  const applied = up.stdout.split("\n").filter((l) => /^\s+\+ applied /.test(l));
  assert.deepEqual(applied.map((l) => l.trim().split(/\s+/).at(-1)), pending, up.stdout);
  assert.match(
    up.stdout,
    new RegExp(`~ recorded +migration ${names[repair - 1]} — not run, recorded as applied`),
  );
  assert.match(up.stdout, new RegExp(`schema version — ${before.at(-1)} → ${SCHEMA_VERSION}`));
  assert.deepEqual((await history()).map((r) => r.version), names.map((n) => n.split("_")[0]));
  const [{ v }] = await db.sql<{ v: string }[]>`select sync.schema_version() as v`;
  assert.equal(v, SCHEMA_VERSION);

  const again = await installer(["install", "--db-url", db.url, "--worker-url", worker]);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /= unchanged +migrations — none pending/);
  assert.match(again.stdout, /Nothing changed: Syncline is already installed as asked/);
});

Deno.test("install refuses a database a newer release migrated (exit 1, nothing applied), in a dry run too", async () => {
  await using db = await createTestDatabase();
  await db.sql.file(`${root}tests/_support/supabase_standins.sql`);
  await db
    .sql`insert into supabase_migrations.schema_migrations (version, name) values ('20991231235959', 'later')`;
  for (const extra of [["--dry-run"], []]) {
    const r = await installer([
      "install",
      "--db-url",
      db.url,
      "--worker-url",
      "http://127.0.0.1:9/w",
      ...extra,
    ]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /1 migration\(s\) this checkout does not have \(20991231235959\)/);
    assert.match(r.stderr, /newer Syncline release\. Run deno task install from that release's checkout/);
  }
  const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from vault.secrets`;
  assert.equal(n, 0, "nothing installed");
});
