// Fault modes for the fake Square API (through its `state.fault` hook), for the reliability
// suite and `deno task chaos`: a share of transient faults (429 with Retry-After, 500, 503, a
// connection reset mid-response, a stall longer than the client's timeout), or a total outage.
import type { FakeSquareState } from "./mod.ts";
import { seeded } from "../_random.ts";

export type TransientFault = "429" | "500" | "503" | "reset" | "stall";
export const ALL_TRANSIENT: TransientFault[] = ["429", "500", "503", "reset", "stall"];

export interface FaultCounters {
  requests: number;
  injected: number;
  byKind: Record<string, number>;
}

export interface TransientFaultPlan {
  /** Share of requests that fail, 0..1. */
  rate: number;
  seed?: number;
  kinds?: TransientFault[];
  /** How long a stall holds the response (longer than the client's timeout). */
  stallMs?: number;
  /** Retry-After of the injected 429s, seconds. */
  retryAfterSeconds?: number;
}

const squareError = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ errors: [{ category: "API_ERROR", code, detail: "injected fault" }] }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

/** Headers go out, then the body stream errors: the client sees the connection break. */
function connectionReset(): Response {
  let n = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (n++ === 0) c.enqueue(new TextEncoder().encode('{"customers": ['));
      else c.error(new Error("injected connection reset"));
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
}

/** Makes `rate` of the fake's requests fail with a transient fault; returns live counters. */
export function injectTransientFaults(state: FakeSquareState, plan: TransientFaultPlan): FaultCounters {
  const random = seeded(plan.seed ?? 1);
  const kinds = plan.kinds ?? ALL_TRANSIENT;
  const counters: FaultCounters = { requests: 0, injected: 0, byKind: {} };
  state.fault = async () => {
    counters.requests++;
    if (random() >= plan.rate) return undefined;
    const kind = kinds[Math.floor(random() * kinds.length)];
    counters.injected++;
    counters.byKind[kind] = (counters.byKind[kind] ?? 0) + 1;
    switch (kind) {
      case "429":
        return squareError(429, "RATE_LIMITED", { "retry-after": String(plan.retryAfterSeconds ?? 1) });
      case "500":
        return squareError(500, "INTERNAL_SERVER_ERROR");
      case "503":
        return squareError(503, "SERVICE_UNAVAILABLE");
      case "reset":
        return connectionReset();
      case "stall":
        await new Promise((r) => setTimeout(r, plan.stallMs ?? 5_000));
        return squareError(503, "SERVICE_UNAVAILABLE");
    }
  };
  return counters;
}

/** Every request answers 503 until the returned function is called. */
export function injectOutage(state: FakeSquareState): FaultCounters & { end(): void } {
  const counters = { requests: 0, injected: 0, byKind: {} as Record<string, number>, end: () => {} };
  state.fault = () => {
    counters.requests++;
    counters.injected++;
    counters.byKind["503"] = (counters.byKind["503"] ?? 0) + 1;
    return squareError(503, "SERVICE_UNAVAILABLE");
  };
  counters.end = () => void (state.fault = null);
  return counters;
}
