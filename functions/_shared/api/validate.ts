// Route input validation: bad JSON is a 400, a body or query that breaks its schema a 422,
// and both name the offending field.
import type { Context } from "hono";
import type { z } from "zod";
import { SynclineError, ValidationError } from "../engine/errors.ts";
import { jsonDepth, MAX_JSON_DEPTH } from "./json_depth.ts";

export function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join(".") : "(body)"}: ${i.message}`)
    .join("; ");
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ValidationError(`Invalid ${what}: ${describeIssues(parsed.error)}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  return parsed.data;
}

// PostgreSQL cannot store U+0000 in text or jsonb: refuse it at the edge, naming it
const hasNul = (s: string) => s.includes("\0") || s.includes("\\u0000");

/** A JSON media type: application/json or application/<something>+json (parameters such as charset allowed). */
export function isJsonMediaType(header: string | undefined): boolean {
  const type = (header ?? "").split(";")[0].trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** The route's JSON body, validated; a body sent as anything but JSON is a 415 naming its content type. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  const type = c.req.header("content-type");
  if (text.trim() !== "" && !isJsonMediaType(type)) {
    const named = (type ?? "").split(";")[0].trim();
    throw new SynclineError(
      "unsupported_media_type",
      `Request body is sent as "${
        named || "(no content type)"
      }"; send it as JSON with content-type: application/json`,
      415,
    );
  }
  if (hasNul(text)) {
    throw new ValidationError(
      "Request body contains a NUL character (\\u0000), which PostgreSQL cannot store",
      undefined,
      400,
    );
  }
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new ValidationError(`Request body is nested deeper than ${MAX_JSON_DEPTH} levels`, undefined, 400);
  }
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new ValidationError(`Request body is not valid JSON: ${(err as Error).message}`, undefined, 400);
    }
  }
  return parseWith(schema, value, "request body");
}

export function query<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const q = c.req.query();
  const bad = Object.entries(q).find(([k, v]) => hasNul(k) || hasNul(v));
  if (bad) throw new ValidationError(`Query parameter "${bad[0]}" contains a NUL character`, undefined, 400);
  return parseWith(schema, q, "query string");
}
