// Two Square merchants registered through the API, each with its own access token in Vault (the test
// stand-in): each account's job calls the fake Square with its own token, so each lands its own
// merchant's data; a registered account never borrows the environment's token, while the `default`
// account keeps running on it (SQUARE_ACCESS_TOKEN), as before accounts existed.
import assert from "node:assert/strict";
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { FAKE_SQUARE_TOKEN, type FakeSquare, startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import type { Sql } from "../../functions/_shared/engine/types.ts";
import { apiClient } from "./_app.ts";

const standins = new URL("../_support/supabase_standins.sql", import.meta.url).pathname;
const TOKEN_A = "EAAAfake-merchant-a-token-0000000000";
const TOKEN_B = "EAAAfake-merchant-b-token-1111111111";
const STREAMS = ["locations", "customers"];

async function setUp() {
  const fake = startFakeSquare({
    seed: 1,
    customers: 5,
    merchants: {
      [TOKEN_A]: { seed: 11, merchantId: "MLMERCHANTA", locations: 2, customers: 30 },
      [TOKEN_B]: { seed: 22, merchantId: "MLMERCHANTB", locations: 3, customers: 45 },
    },
  });
  const db = await createTestDatabase();
  await db.sql.file(standins);
  // the environment: the default account's token, and the API's address every account shares
  const api = await apiClient({
    sql: db.sql,
    connectors,
    connectorConfig: () => ({ accessToken: FAKE_SQUARE_TOKEN, baseUrl: fake.url, rateLimitRequests: 0 }),
  });
  return {
    fake,
    db,
    ...api,
    async [Symbol.asyncDispose]() {
      await fake.close();
      await db[Symbol.asyncDispose]();
    },
  };
}

/** The ids of a stream's rows that job wrote. */
async function idsOfJob(sql: Sql, table: string, jobId: number): Promise<string[]> {
  const rows = await sql.unsafe(`select id from ${table} where _last_job_id = $1 order by id`, [jobId]);
  return rows.map((r) => r.id as string);
}

function sellerIds(fake: FakeSquare, token: string, stream: "customers" | "locations"): string[] {
  const t = fake.merchant(token)!.tables[stream];
  return Array.from({ length: t.count }, (_, i) => t.key(i)).sort();
}

Deno.test("two Square accounts with their own tokens each land their own merchant's data", async () => {
  await using t = await setUp();
  for (const [account, token] of [["MLMERCHANTA", TOKEN_A], ["MLMERCHANTB", TOKEN_B]]) {
    const added = await t.call("POST", "/sync/accounts", {
      connector: "square",
      account,
      displayName: `Merchant ${account.slice(-1)}`,
      secrets: { accessToken: token },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
  }
  const jobA = await t.call("POST", "/sync/jobs", {
    connector: "square",
    account: "MLMERCHANTA",
    streams: STREAMS,
    mode: "full",
  });
  const jobB = await t.call("POST", "/sync/jobs", {
    connector: "square",
    account: "MLMERCHANTB",
    streams: STREAMS,
    mode: "full",
  });
  assert.equal(jobA.status, 202);
  assert.equal(jobB.status, 202);
  assert.equal((await t.work()).status, 200);
  for (const job of [jobA, jobB]) {
    const shown = await t.call("GET", `/sync/jobs/${job.body.job.id}`);
    assert.equal(shown.body.job.status, "succeeded", shown.body.job.error);
  }
  // the fake saw each token, and never the environment's
  assert.ok(t.fake.state.tokens[TOKEN_A] >= 2, JSON.stringify(t.fake.state.tokens));
  assert.ok(t.fake.state.tokens[TOKEN_B] >= 2, JSON.stringify(t.fake.state.tokens));
  assert.equal(t.fake.state.tokens[FAKE_SQUARE_TOKEN], undefined);
  // each job wrote exactly its merchant's records
  const a = jobA.body.job.id, b = jobB.body.job.id;
  assert.deepEqual(await idsOfJob(t.db.sql, "square.customers", a), sellerIds(t.fake, TOKEN_A, "customers"));
  assert.deepEqual(await idsOfJob(t.db.sql, "square.customers", b), sellerIds(t.fake, TOKEN_B, "customers"));
  assert.deepEqual(await idsOfJob(t.db.sql, "square.locations", a), sellerIds(t.fake, TOKEN_A, "locations"));
  const merchants = await t.db.sql`select _last_job_id as job, array_agg(distinct merchant_id) as merchants
    from square.locations group by 1 order by 1`;
  assert.deepEqual(merchants.map((r) => [Number(r.job), r.merchants]), [[a, ["MLMERCHANTA"]], [b, [
    "MLMERCHANTB",
  ]]]);
  // no job row, progress row or error text holds a token
  const [{ leaked }] = await t.db.sql<{ leaked: number }[]>`
    select (select count(*) from sync.jobs j where j::text like '%EAAAfake%')
      + (select count(*) from sync.progress p where p::text like '%EAAAfake%') as leaked`;
  assert.equal(Number(leaked), 0);
});

Deno.test("a registered account without a token never borrows the environment's; default still uses it", async () => {
  await using t = await setUp();
  await t.call("POST", "/sync/accounts", { connector: "square", account: "MLNOTOKEN" });
  const orphan = await t.call("POST", "/sync/jobs", {
    connector: "square",
    account: "MLNOTOKEN",
    streams: ["customers"],
    mode: "full",
  });
  const byEnv = await t.call("POST", "/sync/jobs", {
    connector: "square",
    streams: ["customers"],
    mode: "full",
  });
  await t.work();
  const refused = (await t.call("GET", `/sync/jobs/${orphan.body.job.id}`)).body.job;
  assert.equal(refused.status, "failed");
  // refused before any request: its configuration has no accessToken of its own
  assert.match(refused.error, /^Invalid Square connector config: accessToken/);
  const ran = (await t.call("GET", `/sync/jobs/${byEnv.body.job.id}`)).body.job;
  assert.equal(ran.status, "succeeded", ran.error);
  // the environment's token went out for the default account's job only: every request carried it
  assert.deepEqual(Object.keys(t.fake.state.tokens), [FAKE_SQUARE_TOKEN]);
  assert.equal(t.fake.state.tokens[FAKE_SQUARE_TOKEN], t.fake.state.requests.total);
  assert.deepEqual(
    await idsOfJob(t.db.sql, "square.customers", byEnv.body.job.id),
    sellerIds(t.fake, FAKE_SQUARE_TOKEN, "customers"),
  );
});
