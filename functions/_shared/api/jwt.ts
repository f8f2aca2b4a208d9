// Verifies Supabase Auth JWTs with npm `jose`: asymmetric keys (ES256/RS256) by the project's JWKS —
// inline (SUPABASE_JWKS, which Edge Functions receive) or fetched from
// SUPABASE_URL/auth/v1/.well-known/jwks.json (jose caches it, refetches for an unknown kid at most
// every 30 s, follows no redirect) — and, optionally, the legacy HS256 JWT secret. A token must carry
// `exp`; a user token `aud: "authenticated"` and the project's `iss`; the legacy service_role key the
// project's `ref`. Error texts never repeat the token.
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
  type JWTVerifyGetKey,
} from "jose";
import { AuthError, SynclineError } from "../engine/errors.ts";

export type Jwk = JsonWebKey & { kid?: string; alg?: string };

export interface JwtConfig {
  /** Legacy HS256 JWT secret (SYNCLINE_JWT_SECRET); null: HS256 tokens are refused. */
  jwtSecret: string | null;
  /** JWKS endpoint (default $SUPABASE_URL/auth/v1/.well-known/jwks.json). */
  jwksUrl: string | null;
  /** Inline signing keys (SUPABASE_JWKS); checked before the endpoint. */
  jwks?: Jwk[] | null;
  /**
   * The `iss` every user token must carry (SYNCLINE_JWT_ISSUER, else $SUPABASE_URL/auth/v1); unset
   * (a local stack without SUPABASE_URL): not checked.
   */
  jwtIssuer?: string | null;
  /**
   * The project's ref, which the legacy service_role key carries as `ref` (SYNCLINE_PROJECT_REF, else
   * the <ref> of https://<ref>.supabase.co); unset: not checked.
   */
  projectRef?: string | null;
}

const ASYMMETRIC = ["ES256", "RS256"];
export const USER_AUDIENCE = "authenticated";
/** How long fetched keys are trusted, and how often an unknown kid may trigger a refetch. */
const JWKS_TTL_MS = 10 * 60_000;
const JWKS_REFETCH_MS = 30_000;

/** Fixed texts per jose error code: they name the reason, never the token. */
const REASONS: Record<string, string> = {
  ERR_JWT_EXPIRED: "the token has expired",
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: "the signature does not match",
  ERR_JWS_INVALID: "the token is malformed",
  ERR_JWT_INVALID: "the token is malformed",
  ERR_JOSE_ALG_NOT_ALLOWED: "the token's algorithm is not accepted",
  ERR_JOSE_NOT_SUPPORTED: "the token's algorithm does not match its key",
  ERR_JWKS_NO_MATCHING_KEY: "it was signed by a key that is not in the project's JWKS",
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: "its kid matches more than one key of the project's JWKS",
};
const CLAIMS: Record<string, string> = {
  nbf: "the token is not valid yet (nbf)",
  iat: "the token's iat is not a time",
  exp: "it has no exp claim (tokens must expire)",
};

const invalid = (reason: string) => new AuthError(`Invalid token: ${reason}`);
// our side cannot check the token: 503, so a client does not take its token for bad
const jwksUnavailable = (reason: string) =>
  new SynclineError("auth_unavailable", `Cannot verify the token now: ${reason}`, 503);

type KeySet = JWTVerifyGetKey;
const remoteSets = new Map<string, KeySet>();
const localSets = new WeakMap<Jwk[], KeySet>();

function remoteSet(url: string): KeySet {
  let set = remoteSets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), {
      timeoutDuration: 5_000,
      cooldownDuration: JWKS_REFETCH_MS,
      cacheMaxAge: JWKS_TTL_MS,
    });
    remoteSets.set(url, set);
  }
  return set;
}

/** The project's keys: inline first, then the endpoint's for a kid the inline set lacks. */
function projectKeys(cfg: JwtConfig): KeySet {
  const inline = cfg.jwks?.length ? cfg.jwks : null;
  let local = inline ? localSets.get(inline) : undefined;
  if (inline && !local) {
    local = createLocalJWKSet({ keys: inline } as JSONWebKeySet);
    localSets.set(inline, local);
  }
  const url = cfg.jwksUrl;
  return async (header, token) => {
    if (local) {
      try {
        return await local(header, token);
      } catch (err) {
        if (!url || !(err instanceof errors.JWKSNoMatchingKey)) throw err;
      }
    }
    try {
      return await remoteSet(url!)(header, token);
    } catch (err) {
      if (err instanceof errors.JOSEError && REASONS[err.code]) throw err;
      const what = err instanceof errors.JWKSTimeout
        ? "timed out"
        : err instanceof errors.JOSEError
        ? `answered without a valid key set (${err.message.slice(0, 80)})`
        : `is unreachable (${(err as Error)?.name})`;
      throw jwksUnavailable(`the JWKS at ${url} ${what}`);
    }
  };
}

async function verifySignature(token: string, cfg: JwtConfig): Promise<JWTPayload> {
  let alg: string;
  try {
    alg = String(decodeProtectedHeader(token).alg);
  } catch {
    throw new AuthError("Malformed bearer token: expected a JWT or a secret API key (sb_secret_...)");
  }
  const options = { requiredClaims: ["exp"] };
  try {
    if (alg === "HS256") {
      if (!cfg.jwtSecret) {
        throw new AuthError(
          "HS256 tokens are not accepted: SYNCLINE_JWT_SECRET (the project's legacy JWT secret) is not set",
        );
      }
      const secret = new TextEncoder().encode(cfg.jwtSecret);
      return (await jwtVerify(token, secret, { ...options, algorithms: ["HS256"] })).payload;
    }
    if (!ASYMMETRIC.includes(alg)) throw invalid(`algorithm "${alg.slice(0, 20)}" is not accepted`);
    if (!cfg.jwksUrl && !cfg.jwks?.length) {
      throw new AuthError(
        `${alg} tokens are not accepted: set SUPABASE_URL, SYNCLINE_JWKS_URL or SUPABASE_JWKS`,
      );
    }
    return (await jwtVerify(token, projectKeys(cfg), { ...options, algorithms: ASYMMETRIC })).payload;
  } catch (err) {
    if (err instanceof SynclineError) throw err;
    if (err instanceof errors.JWTClaimValidationFailed) {
      throw invalid(CLAIMS[err.claim] ?? `its ${err.claim.slice(0, 20)} claim is not accepted`);
    }
    throw invalid(REASONS[(err as errors.JOSEError)?.code] ?? "it could not be verified");
  }
}

/**
 * Verified claims of a JWT that expires and is meant for this project's users (aud, iss), or is this
 * project's legacy service_role key (ref).
 */
export async function verifyJwt(
  token: string,
  cfg: JwtConfig,
  now = Date.now(),
): Promise<Record<string, unknown>> {
  const claims = await verifySignature(token, cfg) as Record<string, unknown>;
  if (typeof claims.iat === "number" && claims.iat * 1000 > now + 60_000) {
    throw invalid("the token was issued in the future (iat)");
  }
  // the legacy service_role key is a JWT with iss "supabase", the project's ref and no aud
  if (claims.role === "service_role" && claims.iss === "supabase") {
    if (cfg.projectRef && claims.ref !== cfg.projectRef) {
      throw invalid(`ref must be "${cfg.projectRef}" (a key of another project)`);
    }
    return claims;
  }
  if (cfg.jwtIssuer && claims.iss !== cfg.jwtIssuer) throw invalid(`iss must be "${cfg.jwtIssuer}"`);
  if (claims.role !== "service_role") {
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(USER_AUDIENCE)) throw invalid(`aud must be "${USER_AUDIENCE}"`);
  }
  return claims;
}
