// Builds the sync app for webhook tests: a fresh test database, Square/HighLevel/Bubble webhook
// settings, and a waitUntil that collects background work so a test can await it.
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import type { Connector } from "../../functions/_shared/engine/connector/mod.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import type { Sql } from "../../functions/_shared/engine/types.ts";
import { signSquare } from "../../functions/_shared/connectors/square/webhook_signature.ts";
import type { createApp } from "../../functions/sync/app.ts";
import type { WebhookSettings } from "../../functions/_shared/webhooks/provider.ts";
import { apiClient } from "../api/_app.ts";
import { createTestDatabase, type TestDatabase } from "../_support/db.ts";
import { generateHighLevelKeys, type HighLevelSigningKeys } from "../fakes/highlevel/mod.ts";

export const SQUARE_KEY = "square-signature-key";
export const SQUARE_URL = "https://project.supabase.co/functions/v1/sync/webhooks/square";
export const BUBBLE_SECRET = "bubble-shared-secret";

let keysOnce: Promise<HighLevelSigningKeys> | undefined;
export const highlevelKeys = () => (keysOnce ??= generateHighLevelKeys());

export interface TestApp {
  db: TestDatabase;
  sql: Sql;
  app: ReturnType<typeof createApp>;
  background: Promise<unknown>[];
  settle(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const bubble: Connector = {
  name: "bubble",
  baseUrl: "http://127.0.0.1:9",
  pageSize: 100,
  headers: () => ({}),
  streams: [],
};

export async function testApp(opts: {
  now?: () => number;
  background?: boolean;
  config?: Record<string, Record<string, unknown>>;
  /** more webhook settings per connector (merged over the defaults below) */
  webhookSettings?: Record<string, WebhookSettings>;
} = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const sql = connect(db.url, 4);
  const keys = await highlevelKeys();
  const background: Promise<unknown>[] = [];
  const { app } = await apiClient({
    sql,
    connectors: { ...connectors, bubble },
    connectorConfig: (c) => opts.config?.[c] ?? {},
    auth: { jwtSecret: null, jwksUrl: null, workerSecret: null },
    budgetMs: 20_000,
    now: opts.now,
    waitUntil: opts.background ? (p) => void background.push(p) : undefined,
    webhooks: {
      settings: {
        square: { signatureKey: SQUARE_KEY, notificationUrl: SQUARE_URL },
        highlevel: { ed25519PublicKey: keys.ed25519PublicKeyPem, rsaPublicKey: keys.rsaPublicKeyPem },
        bubble: { secret: BUBBLE_SECRET },
        ...opts.webhookSettings,
      },
    },
  });
  return {
    db,
    sql,
    app,
    background,
    async settle() {
      while (background.length) await background.shift();
    },
    async [Symbol.asyncDispose]() {
      await sql.end({ timeout: 5 });
      await db[Symbol.asyncDispose]();
    },
  };
}

export function squareEvent(type: string, id: string, eventId: string, createdAt = new Date().toISOString()) {
  return {
    merchant_id: "M1",
    type,
    event_id: eventId,
    created_at: createdAt,
    data: { type: type.split(".")[0], id, object: {} },
  };
}

export async function squareRequest(body: string, key = SQUARE_KEY, headers: Record<string, string> = {}) {
  return new Request("http://localhost/sync/webhooks/square", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-square-hmacsha256-signature": await signSquare(key, SQUARE_URL, body),
      ...headers,
    },
    body,
  });
}

export async function inboxCount(sql: Sql): Promise<number> {
  const [r] = await sql`select count(*)::int as n from sync.webhook_inbox`;
  return r.n as number;
}
