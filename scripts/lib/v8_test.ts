// The function server and the worker run with the same V8 settings wherever they are started.
import assert from "node:assert/strict";
import { RUNNER_V8_FLAGS } from "./v8.ts";

Deno.test("deno.json's serve and worker tasks carry the runner's V8 flags", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  for (const task of ["serve", "worker"]) {
    assert.match(
      config.tasks[task],
      new RegExp(` --v8-flags=${RUNNER_V8_FLAGS.replaceAll(/[.*+?^${}()|[\]\\]/g, "\\$&")} `),
    );
  }
});
