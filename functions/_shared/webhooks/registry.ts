// Which webhook scheme a connector's URL speaks, and where its settings come from.
import type { Connector } from "../engine/connector/mod.ts";
import { genericProvider } from "./generic.ts";
import type { WebhookProvider, WebhookSettings } from "./provider.ts";

/**
 * The scheme of a registered connector: its own (Square and HighLevel sign), else a shared secret
 * (Bubble, described connectors); null for a name no connector has.
 */
export function webhookProvider(
  name: string,
  connectors: Record<string, Connector>,
): WebhookProvider | null {
  const connector = Object.hasOwn(connectors, name) ? connectors[name] : undefined;
  if (!connector) return null;
  return connector.webhooks ?? genericProvider(name);
}

/**
 * A connector's webhook settings: its config's webhook* keys (from <CONNECTOR>_WEBHOOK_* variables:
 * SQUARE_WEBHOOK_SIGNATURE_KEY, SQUARE_WEBHOOK_URL, HIGHLEVEL_WEBHOOK_PUBLIC_KEY,
 * HIGHLEVEL_WEBHOOK_RSA_PUBLIC_KEY, HIGHLEVEL_WEBHOOK_LEGACY_RSA, BUBBLE_WEBHOOK_SECRET,
 * ..._WEBHOOK_SECRET_HEADER), overridden
 * by explicit settings.
 */
export function webhookSettings(
  config: Record<string, unknown>,
  explicit: WebhookSettings | undefined,
): WebhookSettings {
  const str = (
    k: string,
  ) => (typeof config[k] === "string" && config[k] !== "" ? config[k] as string : undefined);
  const fromConfig: WebhookSettings = {
    signatureKey: str("webhookSignatureKey"),
    notificationUrl: str("webhookUrl"),
    ed25519PublicKey: str("webhookPublicKey"),
    rsaPublicKey: str("webhookRsaPublicKey"),
    secret: str("webhookSecret"),
    secretHeader: str("webhookSecretHeader"),
    legacyRsa: config.webhookLegacyRsa === undefined
      ? undefined
      : /^(1|true|yes|on)$/i.test(String(config.webhookLegacyRsa).trim()),
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ ...fromConfig, ...explicit })) {
    if (v !== undefined) out[k] = v;
  }
  return out as WebhookSettings;
}
