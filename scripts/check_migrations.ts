// Released migrations are frozen. supabase/migrations.lock lists every released migration with the
// SHA-256 of its text, oldest first; this check fails when
//   - a locked migration was edited, deleted or renamed,
//   - a migration is not in the lock (add it: --add, which appends new files only and only when each
//     is newer than every locked one),
//   - a line that any committed version of the lock had is gone or changed (git history, when present):
//     editing a migration and its lock line together is caught too.
//   deno run -A scripts/check_migrations.ts [--add] [--root <dir>]
const args = Deno.args;
const rootArg = args.includes("--root") ? args[args.indexOf("--root") + 1] : undefined;
const root = rootArg ? rootArg.replace(/\/?$/, "/") : new URL("../", import.meta.url).pathname;
const lockPath = `${root}supabase/migrations.lock`;

async function sha256(text: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", text as Uint8Array<ArrayBuffer>));
  return [...d].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface LockEntry {
  sha: string;
  name: string;
}

export function parseLock(text: string): LockEntry[] {
  return text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")).map((l) => {
    const m = l.match(/^([0-9a-f]{64}) {2}(\d{14}_\w+\.sql)$/);
    if (!m) throw new Error(`supabase/migrations.lock: cannot read the line "${l}"`);
    return { sha: m[1], name: m[2] };
  });
}

const HEADER =
  "# Released migrations and the SHA-256 of each, oldest first. Never edit a line: a released\n" +
  "# migration is frozen (scripts/check_migrations.ts). New ones: deno run -A scripts/check_migrations.ts --add\n";

export async function checkMigrations(
  root: string,
  opts: { add?: boolean; lockHistory?: string[] } = {},
): Promise<string[]> {
  const problems: string[] = [];
  const lockFile = `${root}supabase/migrations.lock`;
  let lock: LockEntry[] = [];
  try {
    lock = parseLock(await Deno.readTextFile(lockFile));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) return [(err as Error).message];
  }
  const files = new Map<string, string>();
  for (const e of Deno.readDirSync(`${root}supabase/migrations`)) {
    if (e.isFile && e.name.endsWith(".sql")) {
      files.set(e.name, await sha256(await Deno.readFile(`${root}supabase/migrations/${e.name}`)));
    }
  }
  const locked = new Map(lock.map((l) => [l.name, l.sha]));
  for (let i = 1; i < lock.length; i++) {
    if (lock[i].name.slice(0, 14) <= lock[i - 1].name.slice(0, 14)) {
      problems.push(`supabase/migrations.lock: ${lock[i].name} is not newer than ${lock[i - 1].name}`);
    }
  }
  for (const l of lock) {
    const sha = files.get(l.name);
    if (sha === undefined) {
      const sameVersion = [...files.keys()].find((f) => f.slice(0, 14) === l.name.slice(0, 14));
      problems.push(
        sameVersion
          ? `supabase/migrations/${l.name} was renamed to ${sameVersion}: a released migration is never renamed`
          : `supabase/migrations/${l.name} was deleted: a released migration is never deleted`,
      );
    } else if (sha !== l.sha) {
      problems.push(
        `supabase/migrations/${l.name} was edited after its release (sha256 ${sha.slice(0, 12)}…, locked ` +
          `${l.sha.slice(0, 12)}…): put the change in a new migration and restore this file`,
      );
    }
  }
  const newest = lock.at(-1)?.name.slice(0, 14) ?? "";
  const added = [...files.keys()].filter((f) => !locked.has(f)).sort();
  for (const f of added) {
    if (f.slice(0, 14) <= newest) {
      problems.push(
        `supabase/migrations/${f}: its version is not newer than the newest released migration ` +
          `(${lock.at(-1)!.name}); a new migration gets a version after every existing one`,
      );
    } else if (!opts.add) {
      problems.push(
        `supabase/migrations/${f} is not in supabase/migrations.lock: run deno run -A scripts/check_migrations.ts --add`,
      );
    }
  }
  for (const [i, text] of (opts.lockHistory ?? []).entries()) {
    for (const l of parseLock(text)) {
      if (locked.get(l.name) !== l.sha) {
        problems.push(
          `supabase/migrations.lock lost or changed the line of ${l.name} that an earlier commit of the lock had ` +
            `(${i + 1} of ${
              opts.lockHistory!.length
            }): released migrations and their lines are never changed`,
        );
      }
    }
  }
  if (opts.add && !problems.length && added.length) {
    const lines = [...lock, ...added.map((name) => ({ name, sha: files.get(name)! }))]
      .map((l) => `${l.sha}  ${l.name}`);
    await Deno.writeTextFile(lockFile, HEADER + lines.join("\n") + "\n");
  }
  return problems;
}

/** The commit from which every committed version of the lock is released history. */
const LOCK_SINCE = "6c67771";

/**
 * Every committed version of the lock on the released history (none without git): branch `main`
 * when this checkout has it (on a branch, its own unlanded commits may still change a migration it
 * adds), else HEAD; SYNCLINE_RELEASED_REF overrides.
 */
function lockHistory(root: string): string[] {
  const git = (a: string[]) =>
    new Deno.Command("git", { args: a, cwd: root, stdout: "piped", stderr: "null" }).outputSync();
  const ref = Deno.env.get("SYNCLINE_RELEASED_REF") ??
    (git(["rev-parse", "--verify", "--quiet", "refs/heads/main"]).success ? "main" : "HEAD");
  // from the commit that locked the released migrations first (its parent's lock held a draft of the
  // repair migration, regenerated before it landed)
  const log = git(["log", "--format=%H", `${LOCK_SINCE}^..${ref}`, "--", "supabase/migrations.lock"]);
  if (!log.success) return [];
  const out: string[] = [];
  for (const c of new TextDecoder().decode(log.stdout).split("\n").filter(Boolean)) {
    const show = git(["show", `${c}:supabase/migrations.lock`]);
    if (show.success) out.push(new TextDecoder().decode(show.stdout));
  }
  return out;
}

if (import.meta.main) {
  const problems = await checkMigrations(root, {
    add: args.includes("--add"),
    lockHistory: lockHistory(root),
  });
  if (problems.length) {
    console.error(problems.join("\n"));
    Deno.exit(1);
  }
  const n = parseLock(await Deno.readTextFile(lockPath)).length;
  console.log(`migrations: ${n} released, none edited, renamed or deleted`);
}
