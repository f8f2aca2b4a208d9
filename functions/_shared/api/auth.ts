// Who may call the API. Admin endpoints need a Supabase Auth JWT whose app_metadata marks an
// admin (role "admin" or syncline_admin: true) or the service_role key; the worker endpoint
// also accepts the worker secret. Verification: HS256 with the project's JWT secret, or the
// project's JWKS for asymmetric keys.
import type { MiddlewareHandler } from "hono";
import { Jwt } from "hono/utils/jwt";
import { AuthError } from "../engine/errors.ts";

export interface AuthConfig {
  jwtSecret: string | null;
  jwksUrl: string | null;
  workerSecret: string | null;
}

export interface Caller {
  kind: "admin" | "worker";
  subject: string;
}

export function isAdminClaims(claims: Record<string, unknown>): boolean {
  const meta = (claims.app_metadata ?? {}) as Record<string, unknown>;
  return claims.role === "service_role" || meta.role === "admin" || meta.syncline_admin === true;
}

/** Constant-time comparison of two secrets. */
export function secretsEqual(a: string, b: string): boolean {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  let diff = ea.length ^ eb.length;
  for (let i = 0; i < Math.max(ea.length, eb.length); i++) diff |= (ea[i] ?? 0) ^ (eb[i] ?? 0);
  return diff === 0;
}

async function verifyJwt(token: string, cfg: AuthConfig): Promise<Record<string, unknown>> {
  let alg: string;
  try {
    alg = String(Jwt.decode(token).header.alg);
  } catch {
    throw new AuthError("Malformed bearer token: expected a JWT");
  }
  try {
    if (alg === "HS256") {
      if (!cfg.jwtSecret) {
        throw new AuthError("HS256 tokens are not accepted: SYNCLINE_JWT_SECRET is not set");
      }
      return await Jwt.verify(token, cfg.jwtSecret, "HS256") as Record<string, unknown>;
    }
    if (!cfg.jwksUrl) throw new AuthError(`${alg} tokens are not accepted: SYNCLINE_JWKS_URL is not set`);
    return await Jwt.verifyWithJwks(token, {
      jwks_uri: cfg.jwksUrl,
      allowedAlgorithms: ["RS256", "ES256"],
    }) as Record<
      string,
      unknown
    >;
  } catch (err) {
    if (err instanceof AuthError) throw err;
    throw new AuthError(`Invalid token: ${(err as Error).message}`);
  }
}

/** Requires an admin JWT; with allowWorker, the worker secret header is accepted too. */
export function requireAuth(cfg: AuthConfig, opts: { allowWorker?: boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    const workerHeader = c.req.header("x-syncline-worker-secret");
    if (opts.allowWorker && workerHeader !== undefined) {
      if (!cfg.workerSecret || !secretsEqual(workerHeader, cfg.workerSecret)) {
        throw new AuthError("Wrong worker secret (header x-syncline-worker-secret)");
      }
      c.set("caller" as never, { kind: "worker", subject: "worker" } as never);
      return await next();
    }
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    // pg_net sends the worker secret from Vault as a bearer token
    if (opts.allowWorker && m && cfg.workerSecret && secretsEqual(m[1], cfg.workerSecret)) {
      c.set("caller" as never, { kind: "worker", subject: "worker" } as never);
      return await next();
    }
    if (!m) {
      throw new AuthError(
        opts.allowWorker
          ? "Missing credentials: send Authorization: Bearer <admin JWT> or x-syncline-worker-secret"
          : "Missing credentials: send Authorization: Bearer <admin JWT>",
      );
    }
    const claims = await verifyJwt(m[1], cfg);
    if (!isAdminClaims(claims)) {
      throw new AuthError(
        `User ${String(claims.sub ?? "(no sub)")} is not a Syncline admin (app_metadata.role)`,
        403,
      );
    }
    c.set(
      "caller" as never,
      { kind: "admin", subject: String(claims.sub ?? claims.role ?? "admin") } as never,
    );
    await next();
  };
}
