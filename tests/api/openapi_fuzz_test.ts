// Every route of the OpenAPI document, fuzzed from its schemas (seeded, bounded): no answer is a 5xx,
// every refusal has the JSON error shape, and no answer repeats a credential it was sent, whether the
// admin token or one of many refused ones (issue 25). SYNCLINE_FUZZ_SEED picks another seed.
import assert from "node:assert/strict";
import { Jwt } from "hono/utils/jwt";
import { seeded } from "../fakes/_random.ts";
import { type FuzzRequest, operations, SchemaFuzzer } from "./_schema_fuzz.ts";
import { JWT_SECRET, makeWidgets, testApp, WORKER_SECRET } from "./_app.ts";

const SEED = Number(Deno.env.get("SYNCLINE_FUZZ_SEED") ?? 25);
/** Requests per operation: ~60 operations x 14, plus the credential cases, run in ~20 s. */
const PER_OPERATION = 14;

const now = () => Math.floor(Date.now() / 1000);

/** Credentials an API must refuse, each one never to be echoed. */
async function refusedCredentials(): Promise<Record<string, string>[]> {
  const claims = {
    sub: "fuzz",
    role: "authenticated",
    aud: "authenticated",
    app_metadata: { role: "admin" },
  };
  return [
    { authorization: "Bearer sb_secret_FUZZunknownKey0000000000000000" },
    {
      authorization: `Bearer ${await Jwt.sign(
        { ...claims, exp: now() + 300 },
        "not-the-secret-fuzz-000000",
      )}`,
    },
    { authorization: `Bearer ${await Jwt.sign({ ...claims, exp: now() - 300 }, JWT_SECRET)}` },
    {
      authorization: `Bearer ${await Jwt.sign(
        { ...claims, app_metadata: {}, exp: now() + 300 },
        JWT_SECRET,
      )}`,
    },
    { authorization: "Bearer eyJhbGciOiJub25lIn0.eyJyb2xlIjoic2VydmljZV9yb2xlIn0." },
    { authorization: "Bearer not.a.jwtFUZZTOKEN" },
    { authorization: "Basic ZnV6ejpGVVpacGFzc3dvcmQ=" },
    { authorization: `Bearer ${"FUZZLONG".repeat(1200)}` },
    { apikey: "sb_publishable_FUZZpublishable00000000000" },
    { "x-syncline-worker-secret": "FUZZwrong-worker-secret" },
  ];
}

/** The parts of a credential an answer must not contain (8+ characters each). */
const credentialParts = (headers: Record<string, string>) =>
  Object.values(headers).flatMap((v) => v.split(/[\s.]+/)).filter((p) =>
    p.length >= 8 && !/^(Bearer|Basic)$/.test(p)
  );

Deno.test("fuzzing every OpenAPI route from its schemas: no 5xx, the JSON error shape, no echoed credential", async () => {
  await using t = await testApp(makeWidgets(3), {
    notify: {
      env: () => ({ slackWebhookUrl: null, emailApiKey: null, emailApiUrl: null, allowLocalUrls: false }),
    },
  });
  const doc = await (await t.app.request("/sync/openapi.json")).json();
  const ops = operations(doc);
  assert.ok(ops.length >= 40, `the document lists ${ops.length} operations`);
  const fuzz = new SchemaFuzzer(doc, seeded(SEED));
  const failures: string[] = [];
  const statuses: Record<string, number> = {};

  const send = async (r: FuzzRequest, headers: Record<string, string>, secret: string[]) => {
    const init: RequestInit = { method: r.method, headers: { ...headers } };
    if (r.body !== undefined) {
      init.body = r.raw ? String(r.body) : JSON.stringify(r.body);
      (init.headers as Record<string, string>)["content-type"] = r.contentType ?? "application/json";
    }
    const res = await t.app.request(r.url, init);
    const text = await res.text();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    const what = `${r.method} ${r.url.slice(0, 160)} ${
      String(init.body ?? "").slice(0, 120)
    } -> ${res.status}`;
    if (res.status >= 500) failures.push(`${what} ${text.slice(0, 200)}`);
    if (res.status >= 400) {
      let body: { error?: { code?: unknown; message?: unknown } } | null = null;
      try {
        body = JSON.parse(text);
      } catch {
        // reported below
      }
      if (typeof body?.error?.code !== "string" || typeof body?.error?.message !== "string") {
        failures.push(`${what}: not the JSON error shape: ${text.slice(0, 200)}`);
      }
    }
    for (const part of secret) if (text.includes(part)) failures.push(`${what}: echoes a credential`);
    return res.status;
  };

  const admin = { authorization: `Bearer ${t.token}` };
  for (const op of ops) {
    for (const r of fuzz.requests(op, PER_OPERATION)) await send(r, admin, credentialParts(admin));
  }
  const bad = await refusedCredentials();
  for (const op of ops.filter((o) => o.secured)) {
    const [r] = fuzz.requests(op, 1, { plainPath: true });
    for (const headers of bad) {
      const status = await send(r, headers, credentialParts(headers));
      // the worker route takes the worker secret too; everything else refuses these credentials
      if (
        status !== 401 && status !== 403 &&
        !(op.path === "/sync/worker" && headers["x-syncline-worker-secret"])
      ) {
        failures.push(
          `${op.method} ${op.path} with ${Object.keys(headers)[0]} ${
            credentialParts(headers)[0]?.slice(0, 12)
          }: ${status}`,
        );
      }
    }
  }
  const worker = { "x-syncline-worker-secret": WORKER_SECRET };
  await send({ method: "POST", url: "http://localhost/sync/worker", body: { budgetMs: 1000 } }, worker, [
    WORKER_SECRET,
  ]);
  console.log(`openapi fuzz, seed ${SEED}: ${ops.length} operations, statuses ${JSON.stringify(statuses)}`);
  assert.deepEqual(failures.slice(0, 40), [], `seed ${SEED}: ${failures.length} failures`);
});
