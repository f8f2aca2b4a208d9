// JSON nesting limit. JSON.parse copes with deep nesting, but what comes after does not: Postgres
// refuses jsonb nested a few thousand deep ("stack depth limit exceeded", a 500), and recursive
// code (zod, JSON.stringify) can overflow the stack. Bodies are checked before parsing, in one
// linear pass over the text, so a refusal costs no more than reading the body.

/** Deepest nesting any request or webhook body may have; vendors' payloads stay below 15. */
export const MAX_JSON_DEPTH = 64;

/** The nesting depth of a JSON text, counted up to max + 1 (brackets inside strings ignored). */
export function jsonDepth(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > deepest && (deepest = depth) > max) return deepest;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return deepest;
}
