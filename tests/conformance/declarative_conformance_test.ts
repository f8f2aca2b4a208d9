// Every described connector runs the shared conformance suite against its fake, automatically:
// adding a description to functions/_shared/connectors/described.ts adds its conformance tests,
// and a description without a fake in tests/fakes/described.ts fails here.
import assert from "node:assert/strict";
import { describedConnectors } from "../../functions/_shared/connectors/described.ts";
import { declarativeConnector } from "../../functions/_shared/connectors/declarative/mod.ts";
import { describedFakes } from "../fakes/described.ts";
import { runConformance } from "./suite.ts";

for (const [name, entry] of Object.entries(describedConnectors)) {
  const fake = describedFakes[name];
  if (!fake) {
    Deno.test(`${name} conformance: the described connector has a fake`, () => {
      assert.fail(`described connector "${name}" has no fake in tests/fakes/described.ts`);
    });
    continue;
  }
  runConformance(name, {
    connector: declarativeConnector(entry.description),
    config: fake.config,
    pageSize: fake.pageSize,
    startFake: () => fake.start(),
  });
}
