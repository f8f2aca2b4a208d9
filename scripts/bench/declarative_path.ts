// The connector's side of a page, in process and without I/O: fetchPage against canned answers
// (the fake's data served by a stub fetch), validation, row mapping and serialisation — the part
// of the runner's CPU where a declarative and a hand-written stream differ. Measured in process CPU
// time (user + system, µs resolution), alternating rounds; the minimum is the figure least
// disturbed by other work on the machine.
import process from "node:process";
import { irelandpayConnector } from "../../functions/_shared/connectors/irelandpay/mod.ts";
import type { Connector } from "../../functions/_shared/engine/connector/mod.ts";
import { HttpClient } from "../../functions/_shared/engine/http/mod.ts";
import { prepareRecords } from "../../functions/_shared/engine/records/mod.ts";
import { createWorld } from "../../tests/fakes/irelandpay/data.ts";
import { handwrittenIrelandpay } from "./irelandpay_handwritten.ts";

export function connectorPathBench(opts: { merchants: number; perMonth: number; rounds: number }) {
  const now = Date.parse("2026-11-29T00:00:00Z");
  const w = createWorld({ merchants: opts.merchants, perMonth: opts.perMonth, seed: 5, now });
  const byKey = new Map<string, unknown[]>();
  for (const t of w.transactions) {
    const k = `${t.mid} ${String(t.date).slice(0, 7)}`;
    if (!byKey.has(k)) byKey.set(k, []);
    byKey.get(k)!.push(t);
  }
  const merchants = JSON.stringify({ data: w.merchants, meta: { last_page: 1 }, links: { next: null } });
  const fetchStub = (input: string | URL | Request) => {
    const url = new URL(String(input));
    if (url.pathname.endsWith("/merchants")) return Promise.resolve(new Response(merchants));
    const mid = url.pathname.split("/").at(-2);
    const month = (url.searchParams.get("start_date") ?? "").slice(0, 7);
    const data = byKey.get(`${mid} ${month}`) ?? [];
    return Promise.resolve(new Response(JSON.stringify({ data, links: { next: null } })));
  };
  const once = async (c: Connector) => {
    const s = c.streams.find((x) => x.name === "transactions")!;
    const http = new HttpClient({
      source: "bench",
      baseUrl: "http://fake.test/api/v1",
      headers: {},
      fetchImpl: fetchStub,
    });
    const ctx = { http, config: {}, since: new Date("2024-04-01"), until: new Date(now), pageSize: 500 };
    let cursor: string | null = null;
    let n = 0;
    const cpu = () => {
      const u = process.cpuUsage();
      return u.user + u.system;
    };
    const t = cpu();
    do {
      const p = await s.fetchPage(ctx, cursor);
      JSON.stringify(prepareRecords(s, p.records).rows);
      n += p.records.length;
      cursor = p.nextCursor;
    } while (cursor);
    return (cpu() - t) / n;
  };
  return async () => {
    const out = { declarative: [] as number[], handwritten: [] as number[] };
    for (let r = 0; r < opts.rounds; r++) {
      for (
        const v of r % 2 ? ["handwritten", "declarative"] as const : ["declarative", "handwritten"] as const
      ) {
        out[v].push(await once(v === "declarative" ? irelandpayConnector : handwrittenIrelandpay));
      }
    }
    return out;
  };
}
