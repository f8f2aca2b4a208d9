// CLI commands over the HighLevel routes: which products issue tickets, and overrides.
import type { ApiClient } from "./client.ts";
import { CliUsageError } from "./ops.ts";
import { table } from "./render.ts";

type Rows = Record<string, unknown>[];

const yesNo = (v: unknown) => (v === null || v === undefined ? "-" : v ? "yes" : "no");

/** Runs a `tickets` command; null when `command` is not one. */
export async function runHighLevelCommand(
  api: ApiClient,
  command: string,
  args: string[],
  flags: { type?: string; inactive?: boolean },
  print: (line: string) => void = console.log,
): Promise<number | null> {
  if (command !== "tickets") return null;
  const [sub, productId] = args;
  if (sub === undefined || sub === "list") {
    const { products } = await api.call<{ products: Rows }>("GET", "/highlevel/ticket-products");
    if (!products.length) print("no HighLevel products synced and no overrides");
    else {
      table(products.map((p) => ({
        product: p.product_id,
        name: p.name ?? "",
        "on sale (HighLevel)": yesNo(p.available_in_store),
        override: p.override_active === null
          ? "-"
          : `${p.override_ticket_type} ${p.override_active ? "on" : "off"}`,
        "issues tickets": yesNo(p.issues_tickets),
        "ticket type": p.ticket_type,
        "decided by": p.decided_by,
      }))).forEach((l) => print(l));
    }
    return 0;
  }
  if (!productId) throw new CliUsageError(`tickets ${sub} needs a product id`);
  const path = `/highlevel/ticket-products/${encodeURIComponent(productId)}`;
  if (sub === "set") {
    await api.call("PUT", path, {
      ...(flags.type ? { ticketType: flags.type } : {}),
      active: !flags.inactive,
    });
    print(`${productId}: override set (${flags.inactive ? "issues no tickets" : "issues tickets"})`);
    return 0;
  }
  if (sub === "clear") {
    await api.call("DELETE", path);
    print(`${productId}: override cleared; HighLevel's product state decides`);
    return 0;
  }
  throw new CliUsageError(`Unknown tickets command "${sub}" (list, set, clear)`);
}
