// Which HighLevel products issue tickets, through the API and the CLI: HighLevel's product state
// by default, the team's override on top.
import assert from "node:assert/strict";
import { adminToken, testApp } from "../api/_app.ts";
import { cli } from "../api/_cli.ts";

Deno.test({
  name: "ticket products: HighLevel's state and the override, listed, set and cleared by API and CLI",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using t = await testApp([]);
    await t.db.sql`select sync.merge_rows('highlevel.products', ${
      t.db.sql.json([
        {
          id: "p-on",
          name: "Festival pass",
          available_in_store: true,
          updated_at: "2026-01-01T00:00:00Z",
          raw: {},
        },
        {
          id: "p-off",
          name: "Early bird",
          available_in_store: false,
          updated_at: "2026-01-01T00:00:00Z",
          raw: {},
        },
      ])
    })`;
    let r = await t.call("GET", "/sync/highlevel/ticket-products");
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.products.map((p: Record<string, unknown>) => [p.product_id, p.issues_tickets, p.decided_by]),
      [["p-off", false, "highlevel"], ["p-on", true, "highlevel"]],
    );
    r = await t.call("PUT", "/sync/highlevel/ticket-products/p-off", { ticketType: "EARLY", active: true });
    assert.equal(r.status, 200);
    assert.deepEqual(
      [r.body.product.ticket_type, r.body.product.issues_tickets, r.body.product.available_in_store],
      ["EARLY", true, false],
    );
    r = await t.call("PUT", "/sync/highlevel/ticket-products/p-on", { active: "yes" });
    assert.equal(r.status, 422);
    assert.match(r.body.error.message, /active/);
    r = await t.call("PUT", "/sync/highlevel/ticket-products/p-on", { active: false, colour: "red" });
    assert.equal(r.status, 422);
    r = await t.call("DELETE", "/sync/highlevel/ticket-products/p-on");
    assert.equal(r.status, 404);
    assert.match(r.body.error.message, /p-on" has no ticket override/);
    const anon = await t.app.request("/sync/highlevel/ticket-products");
    assert.equal(anon.status, 401);

    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, t.app.fetch);
    try {
      const api = `http://127.0.0.1:${server.addr.port}/sync`;
      const token = await adminToken();
      let out = await cli(api, token, "tickets");
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /p-off\s+Early bird\s+no\s+EARLY on\s+yes\s+EARLY\s+override/);
      assert.match(out.stdout, /p-on\s+Festival pass\s+yes\s+-\s+yes\s+p-on\s+highlevel/);
      out = await cli(api, token, "tickets", "set", "p-on", "--inactive");
      assert.equal(out.code, 0, out.stderr);
      out = await cli(api, token, "tickets", "clear", "p-off");
      assert.equal(out.code, 0, out.stderr);
      out = await cli(api, token, "tickets");
      assert.match(out.stdout, /p-off\s+Early bird\s+no\s+-\s+no\s+p-off\s+highlevel/);
      assert.match(out.stdout, /p-on\s+Festival pass\s+yes\s+p-on off\s+no\s+p-on\s+override/);
      out = await cli(api, token, "tickets", "set");
      assert.equal(out.code, 2);
      assert.match(out.stderr, /tickets set needs a product id/);
    } finally {
      await server.shutdown();
    }
  },
});
