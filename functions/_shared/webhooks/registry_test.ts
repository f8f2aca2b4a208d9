// Which webhook scheme a connector speaks: its own provider, else the shared secret; names that
// are no registered connector (also Object's own property names) have no endpoint.
import assert from "node:assert/strict";
import { connectors } from "../connectors/registry.ts";
import { squareProvider } from "../connectors/square/webhooks.ts";
import type { Connector } from "../engine/connector/mod.ts";
import { createApp } from "../../sync/app.ts";
import { webhookProvider } from "./registry.ts";
import { SHARED_SECRET_HEADER } from "./shared_secret.ts";

const app = createApp({
  sql: null as never, // every request here is refused before the database
  connectors,
  connectorConfig: () => ({}),
  auth: { jwtSecret: null, jwksUrl: null, workerSecret: null },
  budgetMs: 1_000,
  log: () => {},
});

Deno.test("a delivery to a name no connector has is a 404, also for Object's property names", async () => {
  for (const name of ["nope", "constructor", "toString", "hasOwnProperty", "__proto__"]) {
    const res = await app.request(`http://localhost/sync/webhooks/${name}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(res.status, 404, name);
    assert.equal((await res.json()).error.code, "not_found", name);
  }
});

Deno.test("a connector's own webhook provider is used; without one, the shared-secret scheme", () => {
  const own = { ...squareProvider, name: "acme" };
  const acme: Connector = { ...connectors.bubble, name: "acme", webhooks: own };
  const plain: Connector = { ...connectors.bubble, name: "plain" };
  assert.equal(webhookProvider("acme", { acme }), own);
  assert.equal(webhookProvider("plain", { plain })?.signatureHeader, SHARED_SECRET_HEADER);
  assert.equal(webhookProvider("square", connectors), squareProvider);
  assert.equal(webhookProvider("constructor", connectors), null);
});
