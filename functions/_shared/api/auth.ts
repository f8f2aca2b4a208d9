// Who may call the API. Admin endpoints accept a Supabase secret API key (sb_secret_..., header
// apikey or Authorization: Bearer), the legacy service_role key, or a Supabase Auth user JWT whose
// app_metadata marks an admin (role "admin" or syncline_admin: true); the worker endpoint also
// accepts the worker secret. JWTs are verified by ./jwt.ts.
import type { MiddlewareHandler } from "hono";
import { AuthError } from "../engine/errors.ts";
import { secretsEqual } from "../encoding.ts";
import { type JwtConfig, verifyJwt } from "./jwt.ts";

export interface AuthConfig extends JwtConfig {
  workerSecret: string | null;
  /** The project's secret API keys (SUPABASE_SECRET_KEYS values); each is a full admin. */
  secretKeys?: string[];
}

export interface Caller {
  kind: "admin" | "worker";
  subject: string;
}

declare module "hono" {
  interface ContextVariableMap {
    /** Who is calling: set by requireAuth on every authenticated route. */
    caller?: Caller;
  }
}

export const SECRET_KEY_PREFIX = "sb_secret_";
export const PUBLISHABLE_KEY_PREFIX = "sb_publishable_";

export function isAdminClaims(claims: Record<string, unknown>): boolean {
  const meta = (claims.app_metadata ?? {}) as Record<string, unknown>;
  return claims.role === "service_role" || meta.role === "admin" || meta.syncline_admin === true;
}

/** A caller for an sb_secret_ / sb_publishable_ key, or null when the credential is no API key. */
function apiKeyCaller(key: string, cfg: AuthConfig): Caller | null {
  if (key.startsWith(SECRET_KEY_PREFIX)) {
    // compare with every configured key (no early exit), so timing says nothing about which matched
    const match = (cfg.secretKeys ?? []).reduce((hit, k) => secretsEqual(key, k) || hit, false);
    if (!match) {
      throw new AuthError(
        cfg.secretKeys?.length
          ? "Unknown secret API key: it is none of the project's secret keys (SUPABASE_SECRET_KEYS)"
          : "Secret API keys are not accepted: SUPABASE_SECRET_KEYS is not set",
      );
    }
    return { kind: "admin", subject: "secret-key" };
  }
  if (key.startsWith(PUBLISHABLE_KEY_PREFIX)) {
    throw new AuthError(
      "A publishable key grants no admin access: send Authorization: Bearer <admin user JWT> with it",
      403,
    );
  }
  return null;
}

const missing = (allowWorker?: boolean) =>
  new AuthError(
    `Missing credentials: send Authorization: Bearer <admin JWT or sb_secret_ key>${
      allowWorker ? " or x-syncline-worker-secret" : ""
    }`,
  );

/** Requires an admin (secret key, service_role or admin JWT); with allowWorker, the worker secret too. */
export function requireAuth(cfg: AuthConfig, opts: { allowWorker?: boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    const setCaller = (caller: Caller) => c.set("caller", caller);
    const workerHeader = c.req.header("x-syncline-worker-secret");
    if (opts.allowWorker && workerHeader !== undefined) {
      if (!cfg.workerSecret || !secretsEqual(workerHeader, cfg.workerSecret)) {
        throw new AuthError("Wrong worker secret (header x-syncline-worker-secret)");
      }
      setCaller({ kind: "worker", subject: "worker" });
      return await next();
    }
    const header = c.req.header("authorization");
    const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (header !== undefined && !m) {
      throw new AuthError('Malformed Authorization header: expected "Bearer <token>"');
    }
    const bearer = m?.[1];
    // pg_net sends the worker secret from Vault as a bearer token
    if (opts.allowWorker && bearer && cfg.workerSecret && secretsEqual(bearer, cfg.workerSecret)) {
      setCaller({ kind: "worker", subject: "worker" });
      return await next();
    }
    // Supabase clients send the API key in `apikey` and a user session, if any, as the bearer token
    const apikey = c.req.header("apikey");
    const fromKey = bearer ? apiKeyCaller(bearer, cfg) : null;
    if (fromKey) {
      setCaller(fromKey);
      return await next();
    }
    if (!bearer) {
      const keyCaller = apikey ? apiKeyCaller(apikey, cfg) : null;
      if (!keyCaller) throw missing(opts.allowWorker);
      setCaller(keyCaller);
      return await next();
    }
    const claims = await verifyJwt(bearer, cfg);
    if (!isAdminClaims(claims)) {
      throw new AuthError(
        `User ${String(claims.sub ?? "(no sub)").slice(0, 80)} is not a Syncline admin (app_metadata.role)`,
        403,
      );
    }
    setCaller({ kind: "admin", subject: String(claims.sub ?? claims.role ?? "admin").slice(0, 200) });
    await next();
  };
}
