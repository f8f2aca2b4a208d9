// The Phoenix channel frames spoken by @supabase/realtime-js (vsn 1.0.0 objects and 2.0.0 arrays,
// text frames) and the replies and pushes of Supabase Realtime, as pure functions.
export interface Frame {
  join_ref: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: Record<string, unknown>;
}

/** Parses a text frame of either protocol version; null for anything else. */
export function decodeFrame(text: string): Frame | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (Array.isArray(raw) && raw.length === 5) {
    const [join_ref, ref, topic, event, payload] = raw;
    if (typeof topic !== "string" || typeof event !== "string") return null;
    return { join_ref: join_ref ?? null, ref: ref ?? null, topic, event, payload: asObject(payload) };
  }
  if (raw && typeof raw === "object" && typeof (raw as Frame).topic === "string") {
    const f = raw as Frame;
    if (typeof f.event !== "string") return null;
    return {
      join_ref: f.join_ref ?? null,
      ref: f.ref ?? null,
      topic: f.topic,
      event: f.event,
      payload: asObject(f.payload),
    };
  }
  return null;
}

function asObject(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : {};
}

/** Encodes a frame in the protocol version the client asked for (vsn query parameter). */
export function encodeFrame(f: Frame, vsn: string): string {
  return vsn === "1.0.0"
    ? JSON.stringify(f)
    : JSON.stringify([f.join_ref, f.ref, f.topic, f.event, f.payload]);
}

export function reply(to: Frame, status: "ok" | "error", response: Record<string, unknown> = {}): Frame {
  return {
    join_ref: to.join_ref,
    ref: to.ref,
    topic: to.topic,
    event: "phx_reply",
    payload: { status, response },
  };
}

/** A database broadcast as Supabase Realtime delivers it (UserBroadcast converted to JSON). */
export function broadcastFrame(topic: string, event: string, payload: unknown, id: string): Frame {
  return {
    join_ref: null,
    ref: null,
    topic: `realtime:${topic}`,
    event: "broadcast",
    payload: { type: "broadcast", event, payload, meta: { id } },
  };
}

/** What Supabase Realtime pushes before it shuts a channel down (shutdown_response). */
export function systemError(topic: string, message: string): Frame {
  return {
    join_ref: null,
    ref: null,
    topic,
    event: "system",
    payload: { extension: "system", status: "error", message, channel: topic.replace(/^realtime:/, "") },
  };
}

/** The sub-topic a channel joins ("realtime:sync:jobs" -> "sync:jobs"). */
export function subTopic(topic: string): string {
  return topic.replace(/^realtime:/i, "");
}

export interface Claims {
  role?: unknown;
  exp?: unknown;
  sub?: unknown;
  [k: string]: unknown;
}

/** Supabase's checks of a token's claims before any policy runs; null when they pass. */
export function claimsProblem(claims: Claims, nowSeconds: number): string | null {
  if (typeof claims.role !== "string" || typeof claims.exp !== "number") {
    return "InvalidJWTToken: Fields `role` and `exp` are required in JWT";
  }
  if (claims.exp <= nowSeconds) {
    return `InvalidJWTToken: Token has expired ${nowSeconds - claims.exp} seconds ago`;
  }
  return null;
}
