// A local stand-in for Supabase Realtime's broadcast channels, for the local stack (no Docker):
// the Phoenix channel protocol of the pinned @supabase/realtime-js (join, heartbeat, access_token
// refresh, leave), private channels authorised by the RLS check Supabase runs, and delivery of
// what realtime.send() writes to realtime.messages (scripts/supabase-baseline.sql announces each
// message with pg_notify "syncline_realtime"; on Supabase the server reads the WAL instead).
// Not Supabase Realtime: no presence, no postgres_changes, no client-sent broadcasts.
//   deno run -A scripts/realtime/server.ts [--port 54340]   (SYNCLINE_DB_URL, SYNCLINE_JWT_SECRET)
import postgres from "postgres";
import { parseArgs } from "node:util";
import { canReadBroadcast, Refusal, verifyToken } from "./authorize.ts";
import {
  broadcastFrame,
  type Claims,
  decodeFrame,
  encodeFrame,
  type Frame,
  reply,
  subTopic,
  systemError,
} from "./protocol.ts";

export interface RealtimeOptions {
  port?: number;
  hostname?: string;
  dbUrl: string;
  jwtSecret: string;
  /** realtime.messages older than this are deleted (Supabase drops old daily partitions). */
  keepMinutes?: number;
  now?: () => number;
  log?: (line: string) => void;
  /** Answers other paths of the same origin (tests put a fake Supabase Auth here). */
  fallback?: (req: Request) => Response | Promise<Response>;
}

interface Subscription {
  socket: WebSocket;
  vsn: string;
  topic: string; // "realtime:sync:jobs"
  joinRef: string | null;
  private: boolean;
  token: string | null;
  claims: Claims;
  expiry?: ReturnType<typeof setTimeout>;
}

export interface RealtimeStats {
  connections: number;
  joins: number;
  refused: number;
  delivered: number;
}

export interface RealtimeServer {
  port: number;
  url: string;
  stats: RealtimeStats;
  close(): Promise<void>;
}

export async function startRealtime(opts: RealtimeOptions): Promise<RealtimeServer> {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const sql = postgres(opts.dbUrl, { max: 3, onnotice: () => {} });
  const byTopic = new Map<string, Set<Subscription>>();
  const stats: RealtimeStats = { connections: 0, joins: 0, refused: 0, delivered: 0 };
  const sockets = new Set<WebSocket>();
  let queue = Promise.resolve();

  const send = (s: { socket: WebSocket; vsn: string }, f: Frame) => {
    if (s.socket.readyState === WebSocket.OPEN) s.socket.send(encodeFrame(f, s.vsn));
  };

  const drop = (sub: Subscription) => {
    clearTimeout(sub.expiry);
    byTopic.get(subTopic(sub.topic))?.delete(sub);
  };

  // Supabase's shutdown_response: a system error, then the channel closes.
  const shutdown = (sub: Subscription, message: string) => {
    drop(sub);
    send(sub, systemError(sub.topic, message));
    send(sub, { join_ref: sub.joinRef, ref: sub.joinRef, topic: sub.topic, event: "phx_close", payload: {} });
  };

  const armExpiry = (sub: Subscription) => {
    clearTimeout(sub.expiry);
    const exp = typeof sub.claims.exp === "number" ? sub.claims.exp * 1000 : null;
    if (exp === null || !sub.private) return;
    sub.expiry = setTimeout(
      () => shutdown(sub, "InvalidJWTToken: Token has expired 0 seconds ago"),
      Math.min(Math.max(exp - now(), 0), 2 ** 31 - 1),
    );
  };

  // Claims of a token, or of the anon role when there is none; a Refusal when it is not valid.
  const claimsOf = async (token: string | null): Promise<Claims> =>
    token && !token.startsWith("sb_")
      ? await verifyToken(token, opts.jwtSecret, Math.floor(now() / 1000))
      : { role: "anon" };

  const authorise = async (topic: string, isPrivate: boolean, token: string | null) => {
    const claims = await claimsOf(token);
    if (isPrivate && !(await canReadBroadcast(sql, subTopic(topic), claims))) {
      throw new Refusal(
        `Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic(topic)}`,
      );
    }
    return claims;
  };

  async function onFrame(
    conn: { socket: WebSocket; vsn: string; subs: Map<string, Subscription> },
    f: Frame,
  ) {
    if (f.topic === "phoenix" && f.event === "heartbeat") return send(conn, reply(f, "ok"));
    const current = conn.subs.get(f.topic);
    switch (f.event) {
      case "phx_join": {
        if (current) drop(current);
        const config = (f.payload.config ?? {}) as { private?: boolean };
        const token = typeof f.payload.access_token === "string" ? f.payload.access_token : null;
        try {
          const claims = await authorise(f.topic, config.private === true, token);
          const sub: Subscription = {
            socket: conn.socket,
            vsn: conn.vsn,
            topic: f.topic,
            joinRef: f.join_ref,
            private: config.private === true,
            token,
            claims,
          };
          conn.subs.set(f.topic, sub);
          const key = subTopic(f.topic);
          if (!byTopic.has(key)) byTopic.set(key, new Set());
          byTopic.get(key)!.add(sub);
          armExpiry(sub);
          stats.joins++;
          send(conn, reply(f, "ok", {}));
        } catch (err) {
          if (!(err instanceof Refusal)) throw err;
          stats.refused++;
          log(`refused ${f.topic}: ${err.message}`);
          send(conn, reply(f, "error", { reason: err.message }));
        }
        return;
      }
      case "access_token": {
        const token = typeof f.payload.access_token === "string" ? f.payload.access_token : null;
        if (!current || token === null || token === current.token || token.startsWith("sb_")) return;
        try {
          current.claims = await authorise(f.topic, current.private, token);
          current.token = token;
          armExpiry(current);
        } catch (err) {
          if (!(err instanceof Refusal)) throw err;
          conn.subs.delete(f.topic);
          shutdown(
            current,
            err.message.startsWith("Unauthorized")
              ? `You no longer have permission to read from this Channel topic: ${subTopic(f.topic)}`
              : err.message,
          );
        }
        return;
      }
      case "phx_leave":
        if (current) {
          drop(current);
          conn.subs.delete(f.topic);
        }
        send(conn, reply(f, "ok"));
        send(conn, {
          join_ref: f.join_ref,
          ref: f.join_ref,
          topic: f.topic,
          event: "phx_close",
          payload: {},
        });
        return;
      default:
        // client-sent broadcasts and presence are not part of this stand-in
        if (f.ref) send(conn, reply(f, "ok"));
    }
  }

  async function deliver(note: { id: string; topic: string; private: boolean }) {
    const subs = [...(byTopic.get(note.topic) ?? [])].filter((s) => s.private === note.private);
    if (subs.length === 0) return;
    const [row] = await sql`select event, payload from realtime.messages where id = ${note.id}::uuid`;
    if (!row) return;
    for (const sub of subs) {
      send(sub, broadcastFrame(note.topic, row.event, row.payload, note.id));
      stats.delivered++;
    }
  }

  const listener = await sql.listen("syncline_realtime", (text) => {
    let note: { id: string; topic: string; private: boolean };
    try {
      note = JSON.parse(text);
    } catch {
      return;
    }
    queue = queue.then(() => deliver(note)).catch((err) => log(`delivery failed: ${err.message}`));
  });

  const keep = opts.keepMinutes ?? 60;
  const pruner = setInterval(() => {
    sql`delete from realtime.messages where inserted_at < now() - make_interval(mins => ${keep})`
      .catch((err) => log(`prune failed: ${err.message}`));
  }, 60_000);

  const server = Deno.serve({
    port: opts.port ?? 0,
    hostname: opts.hostname ?? "127.0.0.1",
    onListen: () => {},
  }, (req) => {
    const url = new URL(req.url);
    if (url.pathname !== "/realtime/v1/websocket") {
      if (opts.fallback) return opts.fallback(req);
      return Response.json({ message: "local Realtime stand-in: connect to /realtime/v1/websocket" }, {
        status: 404,
      });
    }
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return Response.json({ message: "expected a WebSocket upgrade" }, { status: 426 });
    }
    const { socket, response } = Deno.upgradeWebSocket(req);
    const conn = {
      socket,
      vsn: url.searchParams.get("vsn") ?? "1.0.0",
      subs: new Map<string, Subscription>(),
    };
    stats.connections++;
    sockets.add(socket);
    let chain = Promise.resolve();
    socket.onmessage = (e) => {
      if (typeof e.data !== "string") return; // binary client broadcasts: not supported here
      const frame = decodeFrame(e.data);
      if (!frame) return;
      // frames of one connection are handled in order (a join's check finishes before the next)
      chain = chain.then(() => onFrame(conn, frame)).catch((err) => {
        log(`error on ${frame.topic} ${frame.event}: ${err.message}`);
        if (frame.event === "phx_join") {
          send(
            conn,
            reply(frame, "error", { reason: "Realtime was unable to connect to the project database" }),
          );
        }
      });
    };
    socket.onclose = () => {
      sockets.delete(socket);
      for (const sub of conn.subs.values()) drop(sub);
      conn.subs.clear();
    };
    return response;
  });

  const port = server.addr.port;
  let closed = false;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stats,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(pruner);
      for (const s of sockets) s.close(1001, "server shutting down");
      for (const subs of byTopic.values()) for (const s of subs) clearTimeout(s.expiry);
      await listener.unlisten().catch(() => {});
      await server.shutdown();
      await sql.end({ timeout: 5 });
    },
  };
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { port: { type: "string", default: "54340" } } });
  const dbUrl = Deno.env.get("SYNCLINE_DB_URL") ?? "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
  const jwtSecret = Deno.env.get("SYNCLINE_JWT_SECRET");
  if (!jwtSecret) {
    console.error("SYNCLINE_JWT_SECRET is required (the HS256 secret the admin tokens are signed with)");
    Deno.exit(2);
  }
  const rt = await startRealtime({ port: Number(values.port), dbUrl, jwtSecret, log: console.log });
  console.log(
    `local Realtime stand-in on ${rt.url} (ws ${rt.url.replace("http", "ws")}/realtime/v1/websocket)`,
  );
}
