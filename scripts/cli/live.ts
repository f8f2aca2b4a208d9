// `sync follow` through Supabase Realtime: the private broadcast channel of one job
// ("sync:job:<id>", docs/realtime.md) joined with the CLI's admin token, as the console does. Used
// when SYNCLINE_REALTIME_URL (the project's URL, e.g. https://<ref>.supabase.co; locally the
// Realtime stand-in) and SYNCLINE_REALTIME_KEY (the project's anon or publishable key) are set and
// the token is a user JWT with the admin role; otherwise, or when the join fails, the CLI polls.

export interface LiveSettings {
  url: string;
  key: string;
}

/** The Realtime settings from the environment, or null (then the CLI polls). */
export function liveSettings(env: { get(name: string): string | undefined }): LiveSettings | null {
  const url = env.get("SYNCLINE_REALTIME_URL");
  const key = env.get("SYNCLINE_REALTIME_KEY");
  return url && key ? { url: url.replace(/\/$/, ""), key } : null;
}

export interface JobChannel {
  /** Leaves the channel and closes the socket. */
  close(): Promise<void>;
}

/**
 * Joins the job's channel; `onEvent` gets every broadcast (sync_status, sync_progress,
 * sync_complete, sync_ticket_progress). Resolves null when the join is refused or does not answer
 * within `timeoutMs` (the caller polls instead); the reason goes to `onRefused`.
 */
export async function joinJobChannel(opts: {
  settings: LiveSettings;
  token: string;
  jobId: number;
  onEvent(event: string, payload: Record<string, unknown>): void;
  onRefused?(reason: string): void;
  timeoutMs?: number;
}): Promise<JobChannel | null> {
  // loaded only when Realtime is configured: plain polling needs no supabase-js
  const { createClient } = await import("@supabase/supabase-js");
  const client = createClient(opts.settings.url, opts.settings.key, {
    accessToken: () => Promise.resolve(opts.token),
  });
  const close = async () => {
    await client.removeAllChannels().catch(() => {});
    client.realtime.disconnect();
  };
  try {
    await client.realtime.setAuth(opts.token);
  } catch (err) {
    opts.onRefused?.((err as Error)?.message ?? String(err));
    await close();
    return null;
  }
  const channel = client.channel(`sync:job:${opts.jobId}`, { config: { private: true } });
  channel.on(
    "broadcast",
    { event: "*" },
    (m) => opts.onEvent(m.event, (m.payload ?? {}) as Record<string, unknown>),
  );
  const joined = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      opts.onRefused?.("Realtime did not answer");
      resolve(false);
    }, opts.timeoutMs ?? 5_000);
    channel.subscribe((status, err) => {
      if (status === "SUBSCRIBED") {
        clearTimeout(timer);
        resolve(true);
      } else if (status === "CHANNEL_ERROR" || status === "TIMED_OUT" || status === "CLOSED") {
        clearTimeout(timer);
        opts.onRefused?.(err?.message ?? status.toLowerCase().replace("_", " "));
        resolve(false);
      }
    });
  });
  if (!joined) {
    await close();
    return null;
  }
  return { close };
}
