// Verifies Supabase Auth JWTs: asymmetric keys (ES256/RS256) by the project's JWKS — inline
// (SUPABASE_JWKS, which Edge Functions receive) or fetched from SUPABASE_URL/auth/v1/.well-known/jwks.json
// and cached — and, optionally, the legacy HS256 JWT secret. A token must carry `exp`, and a user
// token `aud: "authenticated"` (as Supabase issues them). Error texts never repeat the token.
import { Jwt } from "hono/utils/jwt";
import { AuthError, SynclineError } from "../engine/errors.ts";

export type Jwk = JsonWebKey & { kid?: string; alg?: string };

export interface JwtConfig {
  /** Legacy HS256 JWT secret (SYNCLINE_JWT_SECRET); null: HS256 tokens are refused. */
  jwtSecret: string | null;
  /** JWKS endpoint (default $SUPABASE_URL/auth/v1/.well-known/jwks.json). */
  jwksUrl: string | null;
  /** Inline signing keys (SUPABASE_JWKS); checked before the endpoint. */
  jwks?: Jwk[] | null;
}

const ASYMMETRIC = ["ES256", "RS256"];
export const USER_AUDIENCE = "authenticated";
/** How long fetched keys are trusted, and how often an unknown kid may trigger a refetch. */
const JWKS_TTL_MS = 10 * 60_000;
const JWKS_REFETCH_MS = 30_000;

/** Fixed texts per hono error: they name the reason, never the token. */
const REASONS: Record<string, string> = {
  JwtTokenExpired: "the token has expired",
  JwtTokenNotBefore: "the token is not valid yet (nbf)",
  JwtTokenIssuedAt: "the token was issued in the future (iat)",
  JwtTokenSignatureMismatched: "the signature does not match",
  JwtTokenInvalid: "the token is malformed",
  JwtHeaderInvalid: "the token header is invalid",
  JwtHeaderRequiresKid: "the token header has no kid",
  JwtAlgorithmMismatch: "the token's algorithm does not match its key",
  JwtAlgorithmNotAllowed: "the token's algorithm is not accepted",
  JwtSymmetricAlgorithmNotAllowed: "the token's algorithm is not accepted",
};

const invalid = (reason: string) => new AuthError(`Invalid token: ${reason}`);
// our side cannot check the token: 503, so a client does not take its token for bad
const jwksUnavailable = (reason: string) =>
  new SynclineError("auth_unavailable", `Cannot verify the token now: ${reason}`, 503);

interface CachedKeys {
  keys: Jwk[];
  fetchedAt: number;
}
const jwksCache = new Map<string, CachedKeys>();

async function fetchJwks(url: string): Promise<Jwk[]> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  } catch (err) {
    throw jwksUnavailable(`the JWKS at ${url} is unreachable (${(err as Error).name})`);
  }
  const body = await res.json().catch(() => null) as { keys?: unknown } | null;
  if (!res.ok || !Array.isArray(body?.keys)) {
    throw jwksUnavailable(`the JWKS at ${url} answered ${res.status} without "keys"`);
  }
  return body.keys as Jwk[];
}

/** The key for kid: inline keys first, then the endpoint's (cached; refetched for an unknown kid). */
async function keyFor(kid: string, cfg: JwtConfig, now: number): Promise<Jwk | undefined> {
  const inline = cfg.jwks?.find((k) => k.kid === kid);
  if (inline || !cfg.jwksUrl) return inline;
  let cached = jwksCache.get(cfg.jwksUrl);
  const known = cached?.keys.find((k) => k.kid === kid);
  if (known && now - cached!.fetchedAt < JWKS_TTL_MS) return known;
  if (!cached || now - cached.fetchedAt >= JWKS_REFETCH_MS) {
    cached = { keys: await fetchJwks(cfg.jwksUrl), fetchedAt: now };
    jwksCache.set(cfg.jwksUrl, cached);
  }
  return cached.keys.find((k) => k.kid === kid);
}

async function verifySignature(token: string, cfg: JwtConfig, now: number): Promise<Record<string, unknown>> {
  let header: { alg?: unknown; kid?: unknown };
  try {
    header = Jwt.decode(token).header as { alg?: unknown; kid?: unknown };
  } catch {
    throw new AuthError("Malformed bearer token: expected a JWT or a secret API key (sb_secret_...)");
  }
  const alg = String(header.alg);
  try {
    if (alg === "HS256") {
      if (!cfg.jwtSecret) {
        throw new AuthError(
          "HS256 tokens are not accepted: SYNCLINE_JWT_SECRET (the project's legacy JWT secret) is not set",
        );
      }
      return await Jwt.verify(token, cfg.jwtSecret, "HS256") as Record<string, unknown>;
    }
    if (!ASYMMETRIC.includes(alg)) throw invalid(`algorithm "${alg.slice(0, 20)}" is not accepted`);
    if (!cfg.jwksUrl && !cfg.jwks?.length) {
      throw new AuthError(
        `${alg} tokens are not accepted: set SUPABASE_URL, SYNCLINE_JWKS_URL or SUPABASE_JWKS`,
      );
    }
    if (typeof header.kid !== "string") throw invalid("the token header has no kid");
    const key = await keyFor(header.kid, cfg, now);
    if (!key) throw invalid("it was signed by a key that is not in the project's JWKS");
    return await Jwt.verify(token, key, alg as "ES256") as Record<string, unknown>;
  } catch (err) {
    if (err instanceof SynclineError) throw err;
    throw invalid(REASONS[(err as Error)?.name] ?? "it could not be verified");
  }
}

/** Verified claims of a JWT that expires and (unless it is a service_role key) is meant for users. */
export async function verifyJwt(
  token: string,
  cfg: JwtConfig,
  now = Date.now(),
): Promise<Record<string, unknown>> {
  const claims = await verifySignature(token, cfg, now);
  if (typeof claims.exp !== "number") throw invalid("it has no exp claim (tokens must expire)");
  // the legacy service_role key is a JWT without aud; user tokens carry aud "authenticated"
  if (claims.role !== "service_role") {
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(USER_AUDIENCE)) throw invalid(`aud must be "${USER_AUDIENCE}"`);
  }
  return claims;
}
