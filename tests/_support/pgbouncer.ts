// A throwaway PgBouncer (Debian's `pgbouncer` package) in front of a test database, in transaction
// pooling mode as Supabase's pooler on port 6543 runs: each transaction may get another server
// connection, so nothing of a session (a prepared statement, a temp table kept past its
// transaction, a SET) survives between two of them. Runs as a non-root process (PgBouncer refuses
// root: under root it is started as the `postgres` user) on a free port of its own.
import { freePort } from "../../scripts/lib/ports.ts";

/** Where Debian installs it; null when the package is not installed. */
export function pgbouncerBinary(): string | null {
  for (const p of ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]) {
    try {
      if (Deno.statSync(p).isFile) return p;
    } catch { /* not here */ }
  }
  return null;
}

export interface Bouncer {
  /** The URL to connect through the pooler (same database, user and password). */
  url: string;
  port: number;
  /** PgBouncer's log so far. */
  log(): string;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface BouncerOptions {
  /** Server connections per database and user: 1 makes every client share one. */
  poolSize?: number;
}

/** Starts PgBouncer in transaction mode in front of `dbUrl` (a postgresql:// URL with a password). */
export async function startPgBouncer(dbUrl: string, opts: BouncerOptions = {}): Promise<Bouncer> {
  const bin = pgbouncerBinary();
  if (!bin) throw new Error("pgbouncer is not installed (apt-get install -y pgbouncer)");
  const target = new URL(dbUrl);
  const database = target.pathname.slice(1);
  const user = decodeURIComponent(target.username);
  const password = decodeURIComponent(target.password);
  const port = freePort();
  const dir = Deno.makeTempDirSync({ dir: "/tmp", prefix: "sy-bouncer-" });
  const root = Deno.uid() === 0;
  const ini = `[databases]
${database} = host=${target.hostname} port=${target.port || 5432} dbname=${database}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = plain
auth_file = ${dir}/users.txt
pool_mode = transaction
default_pool_size = ${opts.poolSize ?? 2}
max_client_conn = 100
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = ${dir}/pgbouncer.log
pidfile = ${dir}/pgbouncer.pid
`;
  Deno.writeTextFileSync(`${dir}/pgbouncer.ini`, ini);
  Deno.writeTextFileSync(`${dir}/users.txt`, `"${user}" "${password}"\n`);
  const args = [bin, `${dir}/pgbouncer.ini`];
  if (root) {
    const chown = await new Deno.Command("chown", { args: ["-R", "postgres:postgres", dir] }).output();
    if (!chown.success) throw new Error(`chown of ${dir} failed`);
  }
  const child = new Deno.Command(root ? "runuser" : bin, {
    args: root ? ["-u", "postgres", "--", ...args] : args.slice(1),
    stdin: "null",
    stdout: "null",
    stderr: "null", // it logs to its logfile
  }).spawn();
  const log = () => {
    try {
      return Deno.readTextFileSync(`${dir}/pgbouncer.log`);
    } catch {
      return "";
    }
  };
  // ready once it accepts connections
  const until = Date.now() + 10_000;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      if (Date.now() > until) {
        child.kill("SIGKILL");
        throw new Error(`pgbouncer did not start on port ${port}:\n${log()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const url = new URL(dbUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    port,
    log,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      await child.status;
      Deno.removeSync(dir, { recursive: true });
    },
  };
}
