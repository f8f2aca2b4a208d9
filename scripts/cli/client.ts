// HTTP client of the sync API for the CLI and the demo.
import { Jwt } from "hono/utils/jwt";
import type { Job, Progress } from "../../functions/_shared/engine/types.ts";
import type { Shard } from "../../functions/_shared/engine/shards/mod.ts";

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** A short-lived admin token signed with the local HS256 secret (local stacks only). */
export function mintAdminToken(secret: string, ttlSeconds = 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return Jwt.sign(
    {
      sub: "syncline-cli",
      role: "authenticated",
      aud: "authenticated",
      app_metadata: { role: "admin" },
      iat: now,
      exp: now + ttlSeconds,
    },
    secret,
    "HS256",
  );
}

export class ApiClient {
  constructor(readonly baseUrl: string, readonly token: string | null) {}

  static async fromEnv(): Promise<ApiClient> {
    const url = Deno.env.get("SYNCLINE_API_URL") ?? "http://127.0.0.1:54321/sync";
    let token = Deno.env.get("SYNCLINE_TOKEN") ?? null;
    const secret = Deno.env.get("SYNCLINE_JWT_SECRET");
    if (!token && secret) token = await mintAdminToken(secret);
    return new ApiClient(url.replace(/\/$/, ""), token);
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          "x-syncline-client": "cli",
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new ApiError(
        0,
        "unreachable",
        `Cannot reach the sync API at ${this.baseUrl}: ${(err as Error).message}`,
      );
    }
    const text = await res.text();
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!res.ok) {
      const e = (data as { error?: { code?: string; message?: string } })?.error;
      throw new ApiError(
        res.status,
        e?.code ?? "http_error",
        e?.message ?? `HTTP ${res.status}: ${text.slice(0, 200)}`,
      );
    }
    return data as T;
  }

  start(body: Record<string, unknown>): Promise<{ job: Job }> {
    return this.call("POST", "/jobs", body);
  }

  job(id: number): Promise<{ job: Job; progress: Progress[]; shards?: Shard[] }> {
    return this.call("GET", `/jobs/${id}`);
  }

  cancel(id: number): Promise<{ job: Job }> {
    return this.call("POST", `/jobs/${id}/cancel`);
  }

  history(q: Record<string, string | undefined>): Promise<{ jobs: Job[] }> {
    const qs = new URLSearchParams(
      Object.entries(q).filter(([, v]) => v !== undefined) as [string, string][],
    );
    return this.call("GET", `/jobs${qs.size ? `?${qs}` : ""}`);
  }
}
