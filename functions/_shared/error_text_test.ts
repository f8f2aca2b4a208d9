import assert from "node:assert/strict";
import { errorText, rememberConfigSecrets, rememberSecrets } from "./error_text.ts";
import { MAX_ERROR_LENGTH } from "./redact.ts";

Deno.test("errorText redacts every remembered secret (a config's apiKey, a listed one) and caps the text", () => {
  const key = "cfg-Key-5d8e1a", other = "listed-77x9q2";
  assert.equal(errorText(`API key ${key} is not valid`), `API key ${key} is not valid`, "not known yet");
  rememberConfigSecrets({ apiKey: key, baseUrl: "https://api.example" });
  rememberSecrets([other, "", null]);
  assert.equal(
    errorText(`API key ${key} is not valid; ${other}`),
    "API key [redacted] is not valid; [redacted]",
  );
  assert.equal(
    errorText(`at https://api.example/x`),
    "at https://api.example/x",
    "a non-secret setting stays",
  );
  assert.equal(errorText("x".repeat(5000)).length, MAX_ERROR_LENGTH);
  assert.equal(errorText(null), null);
});
