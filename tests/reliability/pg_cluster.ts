// A throwaway PostgreSQL cluster for the restart scenarios (never the shared stack): data and
// Unix socket in a short folder under the system temp dir, so the socket path stays far below the
// 107-byte limit from any checkout path; a free TCP port picked by the OS.
import { freePort } from "../../scripts/lib/ports.ts";
import { ROOT } from "./_support.ts";

export { freePort };

const PGBIN = "/usr/lib/postgresql/15/bin";

async function run(cmd: string, args: string[], asPostgres = false): Promise<void> {
  const [bin, argv] = asPostgres ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
  const out = await new Deno.Command(bin, { args: argv, stdout: "null", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

export interface ThrowawayCluster {
  url: string;
  port: number;
  /** The socket folder (its path is what must stay short). */
  dir: string;
  /** pg_ctl restart -m fast: every connection is cut, the server is back when this returns. */
  restart(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Creates, starts and migrates (Supabase baseline + supabase/migrations) a cluster of its own. */
export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const port = freePort();
  const dir = Deno.makeTempDirSync({ dir: "/tmp", prefix: "sy-pg-" });
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  await run("chown", ["postgres:postgres", dir]);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const pgctl = (...args: string[]) => run(`${PGBIN}/pg_ctl`, ["-D", `${dir}/data`, ...args], true);
  const cluster: ThrowawayCluster = {
    url,
    port,
    dir,
    restart: () => pgctl("-m", "fast", "-w", "-t", "60", "-l", `${dir}/log`, "-o", opts, "restart"),
    async [Symbol.asyncDispose]() {
      await pgctl("-m", "immediate", "stop").catch(() => {});
      Deno.removeSync(dir, { recursive: true });
    },
  };
  try {
    await run(
      `${PGBIN}/initdb`,
      ["-D", `${dir}/data`, "-U", "postgres", "--auth=trust", "--locale=C.UTF-8"],
      true,
    );
    await pgctl("-o", opts, "-l", `${dir}/log`, "-w", "-t", "60", "start");
    const migrations = [...Deno.readDirSync(`${ROOT}supabase/migrations`)].map((e) => e.name).sort();
    for (
      const f of [
        `${ROOT}scripts/supabase-baseline.sql`,
        ...migrations.map((m) => `${ROOT}supabase/migrations/${m}`),
      ]
    ) {
      await run(`${PGBIN}/psql`, [url, "-qX", "-v", "ON_ERROR_STOP=1", "-f", f]);
    }
  } catch (err) {
    await cluster[Symbol.asyncDispose]();
    throw err;
  }
  return cluster;
}
