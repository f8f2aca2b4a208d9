// A HighLevel order webhook end to end: signed delivery -> inbox -> single-record job run in the
// background -> order re-fetched from the fake API and merged -> tickets. Redeliveries and
// out-of-order (older) versions change nothing.
import assert from "node:assert/strict";
import {
  FAKE_HIGHLEVEL_LOCATION,
  FAKE_HIGHLEVEL_TOKEN,
  highlevelEvent,
  signHighLevelBody,
  startFakeHighLevel,
} from "../fakes/highlevel/mod.ts";
import { highlevelKeys, type TestApp, testApp } from "./_app.ts";

/** The app with the fake HighLevel as its API, webhooks processed in the background. */
const appFor = (fakeUrl: string) =>
  testApp({
    background: true,
    config: {
      highlevel: { accessToken: FAKE_HIGHLEVEL_TOKEN, locationId: FAKE_HIGHLEVEL_LOCATION, baseUrl: fakeUrl },
    },
  });

/** Delivers a signed event and waits for the work it started; answers the HTTP status. */
const deliverer = (t: TestApp) => async (type: string, data: Record<string, unknown>, webhookId?: string) => {
  const body = JSON.stringify(highlevelEvent(type, data, webhookId ? { webhookId } : {}));
  const res = await t.app.request("/sync/webhooks/highlevel", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(await signHighLevelBody(await highlevelKeys(), body)),
    },
    body,
  });
  await t.settle();
  return res.status;
};

Deno.test("an order webhook syncs that order and its tickets; replays and older versions change nothing", async () => {
  const fake = startFakeHighLevel({ seed: 3, orders: 2, products: 4 });
  try {
    await using t = await appFor(fake.url);
    const ga = fake.state.world.products[0]._id as string;
    await t.sql`insert into highlevel.ticket_types (product_id, ticket_type) values (${ga}, 'GA')`;
    const order = fake.state.addOrder({
      _id: "order-e2e",
      items: [{ _id: "li1", qty: 3, product: { _id: ga } }],
    });
    const send = deliverer(t);
    const deliver = (webhookId: string) => send("OrderCreate", { _id: order._id }, webhookId);
    const live = async () =>
      (await t
        .sql`select count(*)::int n from highlevel.tickets where order_id = 'order-e2e' and status = 'live'`)[
          0
        ]
        .n;

    assert.equal(await deliver("w-1"), 202);
    assert.equal(await live(), 3);
    assert.equal(await deliver("w-1"), 200, "redelivery is a duplicate");
    assert.equal((await t.sql`select count(*)::int n from sync.jobs`)[0].n, 1, "and starts no job");

    // quantity drops at the source; the next event re-fetches the current order
    fake.state.updateOrder("order-e2e", { items: [{ _id: "li1", qty: 1, product: { _id: ga } }] });
    const newer = fake.state.world.orders.find((o) => o._id === "order-e2e")!.updatedAt as string;
    assert.equal(await deliver("w-2"), 202);
    assert.equal(await live(), 1);

    // an older version (a lagging read) arrives after the newer one: stale, nothing changes
    fake.state.world.orders.find((o) => o._id === "order-e2e")!.items = [{
      _id: "li1",
      qty: 4,
      product: { _id: ga },
    }];
    fake.state.world.orders.find((o) => o._id === "order-e2e")!.updatedAt = new Date(
      Date.parse(newer) - 60_000,
    )
      .toISOString();
    assert.equal(await deliver("w-3"), 202);
    assert.equal(await live(), 1);
    const [row] = await t.sql`select items, updated_at from highlevel.orders where id = 'order-e2e'`;
    assert.equal(row.items[0].qty, 1);
    const [p] = await t.sql`select sum(stale)::int stale from sync.progress`;
    assert.equal(p.stale, 1);
    const jobs = await t.sql`select status, trigger, mode from sync.jobs order by id`;
    assert.deepEqual(jobs.map((j) => `${j.status}/${j.trigger}/${j.mode}`), [
      "succeeded/webhook/single",
      "succeeded/webhook/single",
      "succeeded/webhook/single",
    ]);
  } finally {
    await fake.close();
  }
});

Deno.test("the fake HighLevel API answers 429 past 100 requests per 10 s with rate-limit headers", async () => {
  let now = 0;
  const fake = startFakeHighLevel({ seed: 1, now: () => now });
  try {
    const get = () =>
      fetch(`${fake.url}/products/?locationId=${FAKE_HIGHLEVEL_LOCATION}`, {
        headers: { authorization: `Bearer ${FAKE_HIGHLEVEL_TOKEN}`, version: "2021-07-28" },
      });
    for (let i = 0; i < 100; i++) await (await get()).body?.cancel();
    const res = await get();
    await res.body?.cancel();
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("x-ratelimit-max"), "100");
    assert.equal(res.headers.get("x-ratelimit-remaining"), "0");
    assert.equal(res.headers.get("x-ratelimit-interval-milliseconds"), "10000");
    now += 10_000;
    const ok = await get();
    await ok.body?.cancel();
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("x-ratelimit-remaining"), "99");
  } finally {
    await fake.close();
  }
});

Deno.test("a ContactDelete webhook marks the contact deleted once HighLevel answers 404; a forged one deletes nothing", async () => {
  const fake = startFakeHighLevel({ seed: 5, contacts: 3 });
  try {
    await using t = await appFor(fake.url);
    const [gone, kept] = fake.state.world.contacts.map((c) => c.id as string);
    const send = deliverer(t);
    const deliver = (type: string, id: string) => send(type, { id });
    assert.equal(await deliver("ContactCreate", gone), 202);
    assert.equal(await deliver("ContactCreate", kept), 202);
    const deleted = async () =>
      (await t.sql`select id from highlevel.contacts where _deleted_at is not null order by id`).map((r) =>
        r.id
      );
    assert.deepEqual(await deleted(), []);

    // a delete event for a contact HighLevel still has: re-read, found, nothing deleted
    assert.equal(await deliver("ContactDelete", kept), 202);
    assert.deepEqual(await deleted(), []);

    fake.state.world.contacts.splice(fake.state.world.contacts.findIndex((c) => c.id === gone), 1);
    assert.equal(await deliver("ContactDelete", gone), 202);
    assert.deepEqual(await deleted(), [gone]);
    assert.equal(
      (await t.sql`select count(*)::int n from highlevel.contacts`)[0].n,
      2,
      "soft: the row stays",
    );
  } finally {
    await fake.close();
  }
});
