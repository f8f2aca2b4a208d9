// CLI commands over the operations API: failed items, stats, schedules, cool-downs, the ops tick,
// cleanup, notifications.
import type { ApiClient } from "./client.ts";
import { table } from "./render.ts";

export class CliUsageError extends Error {}

export interface OpsFlags {
  connector?: string;
  stream?: string;
  status?: string;
  limit?: string;
  days?: string;
  ids?: string;
  name?: string;
  streams?: string;
  cron?: string;
  full?: boolean;
  reconcile?: boolean;
  "lookback-hours"?: string;
  disabled?: boolean;
  "batch-size"?: string;
  account?: string;
  timezone?: string;
  mode?: string;
}

function positiveInt(value: string | undefined, what: string): number {
  const n = Number(value);
  if (!value || !Number.isInteger(n) || n <= 0) {
    throw new CliUsageError(`Expected ${what}, got "${value ?? ""}"`);
  }
  return n;
}

const query = (q: Record<string, string | undefined>) => {
  const qs = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined) as [string, string][]);
  return qs.size ? `?${qs}` : "";
};

type Rows = Record<string, unknown>[];

/** Runs an operations command; returns the exit code, or null when `command` is not one of them. */
export async function runOpsCommand(
  api: ApiClient,
  command: string,
  args: string[],
  flags: OpsFlags,
  print: (line: string) => void = console.log,
): Promise<number | null> {
  const [sub, arg] = args;
  const show = (
    rows: Rows,
    empty: string,
  ) => (rows.length ? table(rows).forEach((l) => print(l)) : print(empty));
  switch (command) {
    case "failed": {
      if (sub === undefined || sub === "list") {
        const { items } = await api.call<{ items: Rows }>(
          "GET",
          `/failed-items${
            query({
              connector: flags.connector,
              stream: flags.stream,
              status: flags.status,
              limit: flags.limit,
            })
          }`,
        );
        show(
          items.map((i) => ({
            id: i.id,
            connector: i.connector,
            stream: i.stream,
            item: i.item_key,
            class: i.error_class,
            attempts: i.attempts,
            next_retry_at: i.permanent ? "gave up" : i.next_retry_at,
            error: String(i.error ?? "").slice(0, 80),
          })),
          "no failed items",
        );
        return 0;
      }
      if (sub === "retry") {
        if (!arg) throw new CliUsageError("failed retry needs a connector");
        const ids = flags.ids?.split(",").map((s) => positiveInt(s.trim(), "a failed item id"));
        const res = await api.call<{ job: { id: number } | null; message?: string }>(
          "POST",
          "/failed-items/retry",
          {
            connector: arg,
            ...(flags.account ? { account: flags.account } : {}),
            ...(ids ? { ids } : {}),
          },
        );
        print(res.job ? `started retry job ${res.job.id}` : res.message ?? "nothing to retry");
        return 0;
      }
      if (sub === "resolve" || sub === "dismiss") {
        const id = positiveInt(arg, "a failed item id");
        await api.call("POST", `/failed-items/${id}/${sub}`);
        print(`failed item ${id} ${sub === "resolve" ? "resolved" : "dismissed"}`);
        return 0;
      }
      throw new CliUsageError(`Unknown "failed" command "${sub}"`);
    }
    case "stats": {
      if (sub === undefined) {
        const { stats } = await api.call<{ stats: Rows }>("GET", `/stats${query({ days: flags.days })}`);
        show(stats, "no finished runs in that window");
        return 0;
      }
      const paths: Record<string, [string, string]> = {
        trends: [`/stats/trends${query({ days: flags.days, connector: flags.connector })}`, "trends"],
        freshness: ["/stats/freshness", "freshness"],
        "failed-items": ["/stats/failed-items", "summary"],
        integrity: ["/stats/integrity", "checks"],
        recovery: [`/stats/recovery${query({ days: flags.days })}`, "recovery"],
      };
      const target = paths[sub];
      if (!target) throw new CliUsageError(`Unknown "stats" command "${sub}"`);
      const res = await api.call<Record<string, Rows>>("GET", target[0]);
      show(res[target[1]], "nothing to show");
      if (sub === "integrity") {
        // the last completeness result of every stream (a gap names sample ids)
        print("");
        show(
          (res.completeness ?? []).map((c) => ({
            connector: c.connector,
            account: c.account,
            stream: c.stream,
            status: c.status,
            method: c.method,
            source: c.source_count,
            landed: c.landed_count,
            missing: c.missing_count,
            sample_ids: (c.sample_ids as string[] | undefined)?.join(",") ?? "",
            job: c.job_id,
            checked_at: c.checked_at,
          })),
          "no completeness checks yet (they run after every full read)",
        );
      }
      return 0;
    }
    case "schedules": {
      if (sub === undefined || sub === "list") {
        const { schedules } = await api.call<{ schedules: Rows }>("GET", "/schedules");
        show(
          schedules.map((s) => ({
            id: s.id,
            name: s.name,
            connector: s.connector,
            streams: (s.streams as string[]).join(","),
            cron: s.cron,
            timezone: s.timezone,
            mode: s.mode,
            enabled: s.enabled,
            next_run_at: s.next_run_at,
          })),
          "no schedules",
        );
        return 0;
      }
      if (sub === "add") {
        if (!flags.name || !flags.connector || !flags.streams || !flags.cron) {
          throw new CliUsageError("schedules add needs --name, --connector, --streams and --cron");
        }
        if (flags.reconcile && (flags.mode !== undefined || flags.full)) {
          throw new CliUsageError("--reconcile cannot be combined with --mode or --full");
        }
        const mode = flags.mode ?? (flags.full ? "full" : flags.reconcile ? "reconcile" : "incremental");
        if (!["full", "incremental", "retry", "reconcile"].includes(mode)) {
          throw new CliUsageError(`--mode takes full, incremental, retry or reconcile, got "${mode}"`);
        }
        const { schedule } = await api.call<{ schedule: Record<string, unknown> }>("POST", "/schedules", {
          name: flags.name,
          connector: flags.connector,
          streams: flags.streams.split(",").map((s) => s.trim()).filter(Boolean),
          cron: flags.cron,
          mode,
          ...(flags.timezone ? { timezone: flags.timezone } : {}),
          enabled: !flags.disabled,
          ...(flags.account ? { account: flags.account } : {}),
          ...(flags["lookback-hours"]
            ? { options: { lookback_hours: Number(flags["lookback-hours"]) } }
            : {}),
        });
        print(
          `schedule ${schedule.id} "${schedule.name}" ${
            schedule.enabled ? "enabled" : "disabled"
          } (${schedule.cron} ${schedule.timezone ?? "UTC"}; next run ${schedule.next_run_at ?? "none"})`,
        );
        return 0;
      }
      if (["enable", "disable", "run", "remove"].includes(sub)) {
        const id = positiveInt(arg, "a schedule id");
        if (sub === "run") {
          const { run } = await api.call<{ run: Record<string, unknown> }>("POST", `/schedules/${id}/run`);
          print(run.outcome === "enqueued" ? `enqueued job ${run.job_id}` : `skipped: ${run.reason}`);
        } else if (sub === "remove") {
          await api.call("DELETE", `/schedules/${id}`);
          print(`schedule ${id} removed`);
        } else {
          await api.call("POST", `/schedules/${id}/${sub}`);
          print(`schedule ${id} ${sub}d`);
        }
        return 0;
      }
      throw new CliUsageError(`Unknown "schedules" command "${sub}"`);
    }
    case "cooldowns": {
      if (sub === undefined || sub === "list") {
        const { cooldowns } = await api.call<{ cooldowns: Rows }>("GET", "/cooldowns");
        show(cooldowns, "no cool-downs (every automatic run starts at once)");
        return 0;
      }
      if (sub === "set") {
        const m = /^([a-z][a-z0-9_-]*)\/(.+)$/.exec(arg ?? "");
        const seconds = Number(args[2]);
        if (!m || args[2] === undefined || !Number.isInteger(seconds) || seconds < 0) {
          throw new CliUsageError(
            "cooldowns set takes <connector>/<stream> <seconds>, e.g. highlevel/orders 60",
          );
        }
        const { cooldown } = await api.call<{ cooldown: Record<string, unknown> }>(
          "PUT",
          `/cooldowns/${encodeURIComponent(m[1])}/${encodeURIComponent(m[2])}`,
          { seconds },
        );
        print(`cool-down of ${cooldown.connector}/${cooldown.stream}: ${cooldown.cooldown_seconds} s`);
        return 0;
      }
      throw new CliUsageError(`Unknown "cooldowns" command "${sub}"`);
    }
    case "tick": {
      const { tick } = await api.call<{ tick: Record<string, unknown> }>("POST", "/ops/tick", {});
      for (const [k, v] of Object.entries(tick)) print(`${k.padEnd(20)} ${JSON.stringify(v)}`);
      return 0;
    }
    case "cleanup": {
      if (flags.days === undefined) {
        throw new CliUsageError("cleanup needs --days N (rows older than N days go)");
      }
      const { deleted } = await api.call<{ deleted: Record<string, number> }>("POST", "/cleanup", {
        days_to_keep: Number(flags.days),
        ...(flags["batch-size"] ? { batch_size: Number(flags["batch-size"]) } : {}),
      });
      show(Object.entries(deleted).map(([t, n]) => ({ table: t, deleted: n })), "nothing to delete");
      return 0;
    }
    case "notifications": {
      if (sub === undefined || sub === "show") {
        const { settings } = await api.call<{ settings: Record<string, unknown> }>(
          "GET",
          "/notifications/settings",
        );
        for (const [k, v] of Object.entries(settings)) print(`${k.padEnd(24)} ${JSON.stringify(v)}`);
        return 0;
      }
      if (sub === "set") {
        let patch: unknown;
        try {
          patch = JSON.parse(arg ?? "");
        } catch {
          throw new CliUsageError(`notifications set takes a JSON object, e.g. '{"daily_summary": true}'`);
        }
        await api.call("PATCH", "/notifications/settings", patch);
        print("notification settings saved");
        return 0;
      }
      throw new CliUsageError(`Unknown "notifications" command "${sub}"`);
    }
    default:
      return null;
  }
}
