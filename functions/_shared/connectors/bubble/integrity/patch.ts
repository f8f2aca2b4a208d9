// What bubble.patch_links() did, as progress: the links it wrote (the "updated" count) and a line
// naming them and the relations it could not patch (an id not in the target table is never written).

/** The auto-patch's figures: rows patched, and the message of the "patch" phase. */
export function patchSummary(result: Record<string, unknown>): { updated: number; detail: string } {
  const patched = Object.entries(result).filter(([k]) => !k.startsWith("missing_"));
  const updated = patched.reduce((a, [, v]) => a + Number(v ?? 0), 0);
  const missing = Number(result.missing_customers ?? 0);
  const detail = patched.map(([k, v]) => `${k} ${v}`).join(", ") +
    (missing > 0
      ? `; missing relations: ${missing} SEDA registration(s) left without linked_customer ` +
        `(their invoice's customer is not in bubble.customer)`
      : "");
  return { updated, detail };
}
