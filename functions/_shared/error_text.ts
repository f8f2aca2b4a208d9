// Every error text Syncline stores (sync.jobs, progress, failed items, steps, shards, circuits,
// webhooks, completeness), logs or answers passes through errorText: redacted with every secret
// this process knows and anything credential-shaped (redact.ts), and capped. The secrets known are
// the environment's (read once) and those of each connector configuration a job ran with
// (rememberSecrets), so a vendor error echoing its key never reaches a table, a broadcast, a
// notification or an API answer.
import { createRedactor, MAX_ERROR_LENGTH, type Redactor, safeErrorText, secretValues } from "./redact.ts";

const known = new Set<string>();
let redactor: Redactor | null = null;
let envRead = false;

function readEnv(): void {
  if (envRead) return;
  envRead = true;
  try {
    for (const v of secretValues(Deno.env.toObject())) known.add(v);
    // SUPABASE_SECRET_KEYS is JSON of named keys: its values are the secrets
    const keys = Deno.env.get("SUPABASE_SECRET_KEYS");
    if (keys) {
      for (const v of Object.values(JSON.parse(keys) ?? {})) if (typeof v === "string") known.add(v);
    }
  } catch {
    // no env permission, or malformed JSON (config.ts reports it): the patterns still apply
  }
}

/** Adds secrets to those every error text is redacted of (short and empty ones are ignored). */
export function rememberSecrets(values: Iterable<string | null | undefined>): void {
  let added = false;
  for (const v of values) {
    if (typeof v === "string" && v !== "" && !known.has(v)) {
      known.add(v);
      added = true;
    }
  }
  if (added) redactor = null;
}

/** The credential values of a connector configuration (apiKey, accessToken, ...) and the connector's own list. */
export function rememberConfigSecrets(config: Record<string, unknown>, extra: Iterable<string> = []): void {
  rememberSecrets([...secretValues(config), ...extra]);
}

/** The redactor of every known secret. */
export function knownRedactor(): Redactor {
  readEnv();
  return (redactor ??= createRedactor(known));
}

/** An error text as it may leave Syncline: redacted and at most max characters. */
export function errorText(text: string, max?: number): string;
export function errorText(text: string | null | undefined, max?: number): string | null;
export function errorText(text: string | null | undefined, max = MAX_ERROR_LENGTH): string | null {
  if (text === null || text === undefined) return null;
  return safeErrorText(String(text), knownRedactor(), max);
}
