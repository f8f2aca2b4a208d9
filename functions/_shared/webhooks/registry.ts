// Which webhook scheme a connector's URL speaks, and where its settings come from.
import type { WebhookProvider, WebhookSettings } from "./provider.ts";
import { genericProvider } from "./providers/generic.ts";
import { highlevelProvider } from "./providers/highlevel.ts";
import { squareProvider } from "./providers/square.ts";

const signed: Record<string, WebhookProvider> = {
  square: squareProvider,
  highlevel: highlevelProvider,
};

/** Square and HighLevel sign; every other known connector (Bubble, generic) uses a shared secret. */
export function webhookProvider(connector: string, known: readonly string[]): WebhookProvider | null {
  if (signed[connector]) return signed[connector];
  return known.includes(connector) ? genericProvider(connector) : null;
}

/**
 * A connector's webhook settings: its config's webhook* keys (from <CONNECTOR>_WEBHOOK_* variables:
 * SQUARE_WEBHOOK_SIGNATURE_KEY, SQUARE_WEBHOOK_URL, HIGHLEVEL_WEBHOOK_PUBLIC_KEY,
 * HIGHLEVEL_WEBHOOK_RSA_PUBLIC_KEY, BUBBLE_WEBHOOK_SECRET, ..._WEBHOOK_SECRET_HEADER), overridden
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
  };
  const out: WebhookSettings = {};
  for (const [k, v] of Object.entries({ ...fromConfig, ...explicit })) {
    if (v !== undefined) out[k as keyof WebhookSettings] = v;
  }
  return out;
}
