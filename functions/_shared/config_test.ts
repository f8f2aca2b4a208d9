import assert from "node:assert/strict";
import { loadConfig, withMergePath } from "./config.ts";

Deno.test("mergePath: the connector's own setting wins over SYNCLINE_MERGE_PATH; unset means the default (copy)", () => {
  assert.deepEqual(withMergePath({ accessToken: "t" }, undefined, "square"), { accessToken: "t" });
  assert.deepEqual(withMergePath({}, "json", "square"), { mergePath: "json" });
  assert.deepEqual(withMergePath({ mergePath: "copy" }, "json", "square"), { mergePath: "copy" });
});

Deno.test("mergePath: any other value is refused with a message naming the connector and the value", () => {
  assert.throws(
    () => withMergePath({ mergePath: "csv" }, undefined, "square"),
    { message: 'Merge path of "square" must be "copy" or "json", got "csv"' },
  );
  const env = new Map([["SYNCLINE_DB_URL", "postgresql://x@localhost/db"], ["SYNCLINE_MERGE_PATH", "fast"]]);
  assert.throws(
    () => loadConfig(env, ["square"]),
    /Merge path of "square" must be "copy" or "json", got "fast"/,
  );
  env.set("SYNCLINE_MERGE_PATH", "json");
  assert.equal(loadConfig(env, ["square"]).connectors.square.mergePath, "json");
});
