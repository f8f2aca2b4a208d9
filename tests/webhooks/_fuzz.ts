// Malformed, truncated, oversized or mis-signed webhook deliveries, from a seed (the fuzz test and
// scripts/bench/webhooks.ts use the same ones).
import { seeded } from "../fakes/_random.ts";
import { highlevelEvent, signHighLevelBody } from "../fakes/highlevel/mod.ts";
import { highlevelKeys, squareEvent, squareRequest } from "./_app.ts";

export async function fuzzDeliveries(n: number, seed = 42): Promise<Request[]> {
  const rnd = seeded(seed);
  const keys = await highlevelKeys();
  const out: Request[] = [];
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  for (let i = 0; i < n; i++) {
    const good = JSON.stringify(squareEvent("payment.updated", `P${i}`, `fz-${i}`));
    const hl = JSON.stringify(highlevelEvent("OrderCreate", { _id: `o${i}` }, { webhookId: `fz-${i}` }));
    const kind = i % 10;
    const base = "http://localhost/sync/webhooks/";
    switch (kind) {
      case 0: // truncated body, signed as the full one
        out.push(
          new Request(base + "square", {
            method: "POST",
            headers: (await squareRequest(good)).headers,
            body: good.slice(0, Math.floor(rnd() * good.length)),
          }),
        );
        break;
      case 1: // validly signed garbage JSON
        out.push(await squareRequest(good.slice(0, 1 + Math.floor(rnd() * (good.length - 2)))));
        break;
      case 2: // validly signed, wrong shapes
        out.push(
          await squareRequest(pick(["[]", "null", "1", '"x"', "{}", '{"event_id": 5}', '{"type": ""}'])),
        );
        break;
      case 3: // oversized
        out.push(await squareRequest(good + " ".repeat(256 * 1024)));
        break;
      case 4: // wrong key
        out.push(await squareRequest(good, `key-${i}`));
        break;
      case 5: // HighLevel: signature of a different body
        out.push(
          new Request(base + "highlevel", {
            method: "POST",
            headers: { "content-type": "application/json", ...(await signHighLevelBody(keys, hl + " ")) },
            body: hl,
          }),
        );
        break;
      case 6: // HighLevel: random bytes as a signature
        out.push(
          new Request(base + "highlevel", {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "x-ghl-signature": btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(64)))),
            },
            body: hl,
          }),
        );
        break;
      case 7: // wrong content type
        out.push(
          await squareRequest(good, undefined, {
            "content-type": pick(["text/plain", "", "application/xml"]),
          }),
        );
        break;
      case 8: // invalid UTF-8 / binary
        out.push(
          new Request(base + "square", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: crypto.getRandomValues(new Uint8Array(1 + Math.floor(rnd() * 512))),
          }),
        );
        break;
      default: // stale, validly signed
        out.push(
          await squareRequest(
            JSON.stringify(
              squareEvent(
                "payment.updated",
                "P",
                `st-${i}`,
                new Date(Date.now() - 4 * 86_400_000).toISOString(),
              ),
            ),
          ),
        );
    }
  }
  return out;
}
