// Error texts leave Syncline (sync.jobs, failed items, notifications, Realtime, logs, API answers)
// only redacted and capped: every configured secret, and anything shaped like a credential (bearer
// tokens, JWTs, vendor key prefixes, key=value pairs named like secrets, long random strings), becomes
// [redacted]. Pure.

export const REDACTED = "[redacted]";
/** Longest error text kept (characters). */
export const MAX_ERROR_LENGTH = 2000;
/** Shorter secrets are not matched literally (they would redact ordinary words). */
const MIN_SECRET_LENGTH = 6;

const TOKEN_PATTERNS: RegExp[] = [
  // Authorization-style: "Bearer xyz", "Basic xyz"
  /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/gi,
  // JWTs
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  // vendor key prefixes: Supabase, Stripe, Resend, Slack, GitHub, Square, HighLevel, AWS
  /\b(sb_secret|sb_publishable|sk_live|sk_test|rk_live|rk_test|whsec|re)_[A-Za-z0-9_]{8,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{8,}/g,
  /\b(ghp|gho|ghs|ghu|github_pat)_[A-Za-z0-9_]{16,}/g,
  /\b(EAAA|sq0[a-z]{3}-)[A-Za-z0-9_-]{16,}/g,
  /\bpit-[0-9a-f]{8}-[0-9a-f-]{20,}/gi,
  /\bAKIA[0-9A-Z]{16}\b/g,
  // Slack incoming-webhook paths
  /hooks\.slack\.com\/services\/[A-Za-z0-9/_-]+/g,
];

// name=value / "name": "value" / name: value where the name says secret
const NAMED =
  /((?:api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|token|secret|client[_-]?secret|password|passwd|signature|sig|authorization|x-api-key|x-postmark-server-token|private[_-]?key)["']?\s*[:=]\s*["']?)([^\s"'&,;}]{3,})/gi;

// a long run of letters and digits mixing cases or digits: a key, not a word or an id
const LONG_RANDOM = /\b[A-Za-z0-9_+=-]{40,}\b/g;
const looksRandom = (s: string) => /[a-z]/.test(s) && /[A-Z0-9]/.test(s) && !/^[a-z_-]+$/.test(s);

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export type Redactor = (text: string) => string;

/** The literal forms a secret may take in an error text: as is, URL-encoded, base64 of itself. */
function forms(secret: string): string[] {
  const out = new Set([secret]);
  try {
    out.add(encodeURIComponent(secret));
  } catch {
    // a lone surrogate: the plain form is enough
  }
  return [...out].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** A redactor for these secrets (empty and short ones ignored) plus the credential-shaped patterns. */
export function createRedactor(secrets: Iterable<string | null | undefined> = []): Redactor {
  const literal = [...new Set([...secrets].filter((s): s is string => typeof s === "string"))]
    .flatMap(forms)
    .sort((a, b) => b.length - a.length);
  const literalRe = literal.length ? new RegExp(literal.map(escapeRe).join("|"), "g") : null;
  return (text) => {
    let out = literalRe ? text.replace(literalRe, REDACTED) : text;
    for (const re of TOKEN_PATTERNS) {
      out = out.replace(
        re,
        (_m, scheme?: string) =>
          typeof scheme === "string" && /^(bearer|basic|token)$/i.test(scheme)
            ? `${scheme} ${REDACTED}`
            : REDACTED,
      );
    }
    // "Authorization: Bearer [redacted]" is done already: the scheme word stays
    out = out.replace(
      NAMED,
      (m, name: string, value: string) =>
        value.startsWith(REDACTED) || /^(bearer|basic|token)$/i.test(value) ? m : `${name}${REDACTED}`,
    );
    out = out.replace(LONG_RANDOM, (m) => (looksRandom(m) ? REDACTED : m));
    return out;
  };
}

/** At most max characters (never half a surrogate pair), "…" marking a cut. */
export function capText(text: string, max = MAX_ERROR_LENGTH): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}

/** Redacted and capped: what an error text may say outside Syncline. */
export function safeErrorText(
  text: string,
  redact: Redactor = createRedactor(),
  max = MAX_ERROR_LENGTH,
): string {
  return capText(redact(text), max);
}

/** Keys of a settings object whose values are credentials (accessToken, apiKey, webhookSecret, ...). */
export const SECRET_KEY_NAME = /token|secret|password|passwd|apikey|api_key|key$|credential|signature/i;

/** Names that match SECRET_KEY_NAME but hold no secret (a header's name, a public key). */
const NOT_SECRET = /header$|publickey$|publickeys$/i;

/** Whether a settings key names a credential (accessToken, apiKey, ...): such a value belongs in Vault. */
export function isSecretKey(key: string): boolean {
  return (SECRET_KEY_NAME.test(key) || /authorization/i.test(key)) && !NOT_SECRET.test(key);
}

/** The credential values of a settings object (connector config, environment), for createRedactor. */
export function secretValues(settings: Record<string, unknown>): string[] {
  return Object.entries(settings)
    .filter(([k, v]) =>
      SECRET_KEY_NAME.test(k) && !NOT_SECRET.test(k) && typeof v === "string" && v.length >= MIN_SECRET_LENGTH
    )
    .map(([, v]) => v as string);
}
