// The OpenAPI document's request bodies are generated from the zod schemas the routes validate with:
// a field added to a route's schema appears in the document without anyone copying it.
import assert from "node:assert/strict";
import { ScheduleInput } from "../../_shared/ops/mod.ts";
import { StartSyncBody } from "./jobs.ts";
import { openApiDocument } from "./openapi.ts";

Deno.test("request schemas in the OpenAPI document are the routes' own zod schemas", () => {
  const schemas = openApiDocument().components.schemas as Record<
    string,
    { properties?: Record<string, unknown> }
  >;
  assert.deepEqual(
    Object.keys(schemas.StartSync.properties ?? {}).sort(),
    Object.keys(StartSyncBody.shape).sort(),
  );
  assert.deepEqual(
    Object.keys(schemas.ScheduleInput.properties ?? {}).sort(),
    Object.keys(ScheduleInput.shape).sort(),
  );
  // limits travel with the schema (the body refuses more than this)
  const start = schemas.StartSync as {
    properties: { streams: { maxItems: number } };
    additionalProperties: boolean;
  };
  assert.equal(start.properties.streams.maxItems, 100);
  assert.equal(start.additionalProperties, false);
  for (
    const name of ["StartSync", "ScheduleInput", "NotificationSettingsPatch", "CleanupInput", "CooldownInput"]
  ) {
    assert.ok(!("$schema" in schemas[name]), `${name} is a schema object, not a whole JSON Schema document`);
  }
});
