// The local Realtime stand-in with the pinned supabase-js as the client: private channels are
// authorised by the RLS policy on realtime.messages (admins only), database broadcasts arrive,
// and a token swapped for a non-admin one loses the channel.
import assert from "node:assert/strict";
import { createClient, type RealtimeChannel, type SupabaseClient } from "@supabase/supabase-js";
import { startRealtime } from "../../scripts/realtime/server.ts";
import { createTestDatabase } from "../_support/db.ts";
import { adminToken, JWT_SECRET } from "../api/_app.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

// as the console does: the token comes from a callback, and setAuth runs before any private join
async function client(url: string, token: () => string): Promise<SupabaseClient> {
  const sb = createClient(url, "local-anon-key", {
    accessToken: () => Promise.resolve(token()),
    realtime: { heartbeatIntervalMs: 60_000 },
  });
  await sb.realtime.setAuth(token());
  return sb;
}

function subscribe(
  sb: SupabaseClient,
  topic: string,
): Promise<
  {
    channel: RealtimeChannel;
    status: string;
    error?: string;
    events: { event: string; payload: Record<string, unknown> }[];
  }
> {
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  const channel = sb.channel(topic, { config: { private: true } });
  channel.on("broadcast", { event: "*" }, (m) => events.push({ event: m.event, payload: m.payload }));
  return new Promise((resolve) => {
    channel.subscribe((status, err) => {
      if (status === "SUBSCRIBED" || status === "CHANNEL_ERROR" || status === "TIMED_OUT") {
        resolve({ channel, status, error: err?.message, events });
      }
    });
  });
}

async function until(cond: () => boolean, what: string, ms = 15_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test({
  name: "an admin's private join is allowed by RLS and receives sync_status, sync_progress and sync_complete",
  ...opts,
  async fn() {
    await using db = await createTestDatabase();
    const rt = await startRealtime({ dbUrl: db.url, jwtSecret: JWT_SECRET });
    const token = await adminToken();
    const sb = await client(rt.url, () => token);
    try {
      const jobs = await subscribe(sb, "sync:jobs");
      assert.equal(jobs.status, "SUBSCRIBED", jobs.error);
      const [job] = await db.sql`select * from sync.create_job('square', array['orders'])`;
      const one = await subscribe(sb, `sync:job:${job.id}`);
      assert.equal(one.status, "SUBSCRIBED", one.error);
      await until(() => jobs.events.some((e) => e.event === "sync_status"), "sync_status on sync:jobs");
      assert.equal(jobs.events[0].payload.job_id, Number(job.id));
      assert.equal(jobs.events[0].payload.status, "queued");

      await db.sql`select sync.report_progress(${job.id}, 'orders', 10, 40)`;
      // (the job's creation may be announced on the topic too, with done 0)
      const isTen = (e: { event: string; payload: Record<string, unknown> }) =>
        e.event === "sync_progress" && e.payload.done === 10;
      await until(() => one.events.some(isTen), "sync_progress with the report");
      const progress = one.events.find(isTen)!.payload;
      assert.equal(progress.stream, "orders");
      assert.equal(progress.total, 40);

      const [claimed] = await db.sql`select * from sync.claim_job('w1')`;
      await db.sql`select sync.report_progress(${claimed.id}, 'orders', 30, 40, null, '{"inserted": 40}')`;
      await db.sql`select sync.finish_job(${claimed.id}, 'w1', 'succeeded')`;
      await until(() => one.events.some((e) => e.event === "sync_complete"), "sync_complete");
      const done = one.events.find((e) => e.event === "sync_complete")!.payload;
      assert.equal(done.status, "succeeded");
      assert.equal((done.stats as Record<string, number>).inserted, 40);
      assert.equal((done.stats as Record<string, number>).records, 40);
      assert.ok(jobs.events.some((e) => e.event === "sync_complete"), "sync:jobs hears the completion too");
    } finally {
      await sb.removeAllChannels();
      await rt.close();
    }
  },
});

Deno.test({
  name: "a non-admin, an anonymous and an expired token are refused the private sync topics",
  ...opts,
  async fn() {
    await using db = await createTestDatabase();
    const rt = await startRealtime({ dbUrl: db.url, jwtSecret: JWT_SECRET });
    const user = await adminToken({ role: "viewer" });
    const clients: SupabaseClient[] = [];
    try {
      const plain = await client(rt.url, () => user);
      clients.push(plain);
      const refused = await subscribe(plain, "sync:jobs");
      assert.equal(refused.status, "CHANNEL_ERROR");
      assert.match(
        refused.error ?? "",
        /Unauthorized: You do not have permissions to read from this Channel topic: sync:jobs/,
      );

      const anon = createClient(rt.url, "local-anon-key", { auth: { persistSession: false } });
      clients.push(anon);
      assert.equal((await subscribe(anon, "sync:jobs")).status, "CHANNEL_ERROR");

      const { Jwt } = await import("hono/utils/jwt");
      const expired = await Jwt.sign(
        {
          sub: "u",
          role: "authenticated",
          app_metadata: { role: "admin" },
          exp: Math.floor(Date.now() / 1000) - 5,
        },
        JWT_SECRET,
      );
      const old = await client(rt.url, () => expired);
      clients.push(old);
      const r = await subscribe(old, "sync:jobs");
      assert.equal(r.status, "CHANNEL_ERROR");
      assert.match(r.error ?? "", /InvalidJWTToken/);
      assert.equal(rt.stats.joins, 0);
      assert.ok(rt.stats.refused >= 3);

      // a refused client hears nothing of a job
      await db.sql`select sync.create_job('square', array['orders'])`;
      await new Promise((res) => setTimeout(res, 300));
      assert.equal(refused.events.length, 0);
      assert.equal(rt.stats.delivered, 0);
    } finally {
      for (const c of clients) await c.removeAllChannels();
      await rt.close();
    }
  },
});

Deno.test({
  name: "a refreshed token that is no longer an admin's loses the channel",
  ...opts,
  async fn() {
    await using db = await createTestDatabase();
    const rt = await startRealtime({ dbUrl: db.url, jwtSecret: JWT_SECRET });
    let token = await adminToken();
    const sb = await client(rt.url, () => token);
    try {
      const jobs = await subscribe(sb, "sync:jobs");
      assert.equal(jobs.status, "SUBSCRIBED", jobs.error);
      const systems: string[] = [];
      jobs.channel.on("system", {}, (p) => systems.push(String(p.message)));
      token = await adminToken({ role: "viewer" });
      await sb.realtime.setAuth(token);
      await until(() => systems.length > 0, "the system error");
      assert.match(systems[0], /no longer have permission to read from this Channel topic: sync:jobs/);
      await db.sql`select sync.create_job('square', array['orders'])`;
      await new Promise((res) => setTimeout(res, 300));
      assert.equal(jobs.events.length, 0);
    } finally {
      await sb.removeAllChannels();
      await rt.close();
    }
  },
});

Deno.test({
  name: "the stand-in answers heartbeats, leaves and junk as Phoenix does (raw WebSocket, protocol 2.0.0)",
  ...opts,
  async fn() {
    await using db = await createTestDatabase();
    const rt = await startRealtime({ dbUrl: db.url, jwtSecret: JWT_SECRET });
    const ws = new WebSocket(`${rt.url.replace("http", "ws")}/realtime/v1/websocket?apikey=k&vsn=2.0.0`);
    const frames: unknown[][] = [];
    ws.onmessage = (e) => frames.push(JSON.parse(e.data));
    try {
      await new Promise((r) => (ws.onopen = r));
      const token = await adminToken();
      ws.send("not json");
      ws.send(JSON.stringify([null, "1", "phoenix", "heartbeat", {}]));
      ws.send(
        JSON.stringify(["2", "2", "realtime:sync:jobs", "phx_join", {
          config: { private: true },
          access_token: token,
        }]),
      );
      await until(() => frames.length >= 2, "heartbeat and join replies");
      assert.deepEqual(frames[0], [null, "1", "phoenix", "phx_reply", { status: "ok", response: {} }]);
      assert.deepEqual(frames[1], ["2", "2", "realtime:sync:jobs", "phx_reply", {
        status: "ok",
        response: {},
      }]);
      await db.sql`select sync.create_job('square', array['orders'])`;
      await until(() => frames.length >= 3, "the broadcast");
      const [joinRef, ref, topic, event, payload] = frames[2] as [
        null,
        null,
        string,
        string,
        Record<string, unknown>,
      ];
      assert.deepEqual([joinRef, ref, topic, event, payload.type, payload.event], [
        null,
        null,
        "realtime:sync:jobs",
        "broadcast",
        "broadcast",
        "sync_status",
      ]);
      ws.send(JSON.stringify(["2", "3", "realtime:sync:jobs", "phx_leave", {}]));
      await until(() => frames.some((f) => f[3] === "phx_close"), "phx_close");
      const before = frames.length;
      await db.sql`select sync.create_job('square', array['payments'])`;
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(frames.length, before, "nothing after leaving");
    } finally {
      ws.close();
      await rt.close();
    }
  },
});
