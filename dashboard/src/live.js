// Live updates through Supabase Realtime: private broadcast channels ("sync:jobs" and
// "sync:job:<id>") joined with the signed-in admin's token, which RLS on realtime.messages
// authorises. Events: sync_status, sync_progress, sync_ticket_progress, sync_complete
// (docs/realtime.md). When Realtime cannot be reached the state says so and views poll instead.
import { session } from "./session.js";

export const live = { state: "off", reason: "not connected", listeners: new Set() };
const JOIN_TIMEOUT_MS = 5000;

function setState(state, reason = "") {
  if (live.state === state && live.reason === reason) return;
  live.state = state;
  live.reason = reason;
  for (const fn of live.listeners) fn(live);
}

export const isLive = () => live.state === "live";
export const onLiveChange = (fn) => (live.listeners.add(fn), () => live.listeners.delete(fn));

/**
 * Joins a private topic and calls handlers[event](payload) for each broadcast; returns a
 * function that leaves. The first join decides the visible live state.
 */
export function subscribe(topic, handlers) {
  const sb = session.supabase;
  if (!sb) {
    setState("off", "no Realtime URL configured (config.json supabaseUrl)");
    return () => {};
  }
  const channel = sb.channel(topic, { config: { private: true } });
  channel.on("broadcast", { event: "*" }, (m) => handlers[m.event]?.(m.payload));
  channel.on("system", {}, (p) => {
    if (p?.status === "error") setState("offline", p.message ?? "channel closed by the server");
  });
  let left = false;
  let joined = false;
  // only the first join shows "connecting"; once offline, the views keep polling until a join succeeds
  if (live.state === "off") setState("connecting", "joining Realtime");
  // a join that never answers (e.g. the socket cannot connect at all) counts as unreachable too
  const watchdog = setTimeout(() => {
    if (!joined && !left) setState("offline", "Realtime did not answer");
  }, JOIN_TIMEOUT_MS);
  const start = async () => {
    // the token must be set before a private join (supabase-js sends it with phx_join)
    await sb.realtime.setAuth(session.token).catch(() => {});
    if (left) return;
    channel.subscribe((status, err) => {
      if (left) return;
      joined = status === "SUBSCRIBED";
      if (status === "SUBSCRIBED") {
        setState("live");
        handlers.subscribed?.();
      } else if (status === "CHANNEL_ERROR") setState("offline", err?.message ?? "channel error");
      else if (status === "TIMED_OUT") setState("offline", "Realtime did not answer");
      else if (status === "CLOSED") setState("offline", "channel closed");
    }, JOIN_TIMEOUT_MS);
  };
  start();
  return () => {
    left = true;
    clearTimeout(watchdog);
    sb.removeChannel(channel).catch(() => {});
  };
}

/** Runs fn every ms while Realtime is not live (the visible fallback); returns a stop function. */
export function pollWhileOffline(fn, ms) {
  const timer = setInterval(() => {
    if (live.state === "offline" || live.state === "off") fn();
  }, ms);
  return () => clearInterval(timer);
}
