// What a webhook source is: how its deliveries are verified, which field carries the event id
// and the timestamp, and which records (or streams) an event asks us to re-sync.
import type { z } from "zod";
import type { TimestampWindow } from "./timestamp.ts";

/** Webhook settings of one connector (from AppDeps.webhooks or <CONNECTOR>_WEBHOOK_* config). */
export interface WebhookSettings {
  /** Square: the subscription's signature key. */
  signatureKey?: string;
  /** Square: the notification URL exactly as registered (signed together with the body). */
  notificationUrl?: string;
  /** HighLevel: Ed25519 public key (PEM or base64). */
  ed25519PublicKey?: string;
  /** HighLevel: RSA public key (PEM) for the legacy x-wh-signature. */
  rsaPublicKey?: string;
  /**
   * HighLevel: accept the legacy x-wh-signature (RSA) at all (HIGHLEVEL_WEBHOOK_LEGACY_RSA=true); off by
   * default: HighLevel signs with Ed25519 only since 2026-07-01.
   */
  legacyRsa?: boolean;
  /** Bubble / generic: the shared secret the sender puts in the secret header. */
  secret?: string;
  /** Bubble / generic: header carrying the secret (default x-webhook-secret). */
  secretHeader?: string;
}

export interface VerifyInput {
  rawBody: string;
  headers: Headers;
  /** The URL the request arrived at (Square signs the registered one: see notificationUrl). */
  url: string;
  settings: WebhookSettings;
}

/** One delivery, unpacked. */
export interface WebhookEvent {
  eventId: string;
  eventType: string;
  /** The delivery's own timestamp (checked against the replay window), when the scheme has one. */
  timestamp: unknown;
  /** Name of the field the timestamp came from (for error messages). */
  timestampField: string;
}

/** What an event asks for. */
export type WebhookAction =
  | { kind: "records"; stream: string; ids: string[] }
  | { kind: "streams"; streams: string[]; mode: "incremental" }
  | { kind: "ignore"; reason: string };

export interface WebhookProvider {
  name: string;
  /** Name of the signature header (for the 401 message). */
  signatureHeader: string;
  /** Whether the provider's settings are complete enough to verify anything. */
  configured(settings: WebhookSettings): boolean;
  verify(input: VerifyInput): Promise<boolean>;
  /** Why a delivery that failed verify was refused, when the scheme can say more than "missing or wrong". */
  refusal?(input: VerifyInput): string | undefined;
  /** Shape of a delivery body. */
  schema: z.ZodType;
  /** Event id, type and timestamp of a body that passed schema. */
  event(payload: unknown, headers: Headers): WebhookEvent;
  /** Whether deliveries without a timestamp are refused. */
  requireTimestamp: boolean;
  /**
   * The provider's own replay window, when its retries carry the event's original timestamp for
   * longer than the default 5 minutes (it must stay within sync.webhook_dedup_window(), 7 days, so
   * a replay inside it is still recognised by its event id). The app's `webhooks.window` overrides it.
   */
  replayWindow?: TimestampWindow;
  action(eventType: string, payload: unknown): WebhookAction;
}
