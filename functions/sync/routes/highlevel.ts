// HighLevel's ticket products, admin only: which products issue tickets and why (HighLevel's
// product state, or the team's override in highlevel.ticket_types), and setting or clearing an
// override.
import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../../_shared/api/auth.ts";
import { jsonBody, parseWith } from "../../_shared/api/validate.ts";
import type { AppDeps } from "../../_shared/deps.ts";

export const ProductId = z.string().min(1).max(200);
export const TicketOverride = z.object({
  ticketType: z.string().trim().min(1).max(200).optional(),
  active: z.boolean(),
}).strict();

export function highlevelRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const sql = deps.sql;
  app.use("/highlevel/*", requireAuth(deps.auth));

  app.get("/highlevel/ticket-products", async (c) => {
    const rows = await sql`select product_id, name, available_in_store, override_ticket_type, override_active,
      ticket_type, issues_tickets, decided_by from highlevel.ticket_products order by name nulls last, product_id`;
    return c.json({ products: rows });
  });

  app.put("/highlevel/ticket-products/:id", async (c) => {
    const productId = parseWith(ProductId, c.req.param("id"), "product id");
    const input = await jsonBody(c, TicketOverride);
    await sql`insert into highlevel.ticket_types (product_id, ticket_type, active)
      values (${productId}, ${input.ticketType ?? productId}, ${input.active})
      on conflict (product_id) do update set ticket_type = excluded.ticket_type, active = excluded.active`;
    const [row] = await sql`select * from highlevel.ticket_products where product_id = ${productId}`;
    return c.json({ product: row });
  });

  app.delete("/highlevel/ticket-products/:id", async (c) => {
    const productId = parseWith(ProductId, c.req.param("id"), "product id");
    const gone =
      await sql`delete from highlevel.ticket_types where product_id = ${productId} returning product_id`;
    if (gone.length === 0) {
      return c.json({
        error: { code: "not_found", message: `Product "${productId}" has no ticket override` },
      }, 404);
    }
    const [row] = await sql`select * from highlevel.ticket_products where product_id = ${productId}`;
    return c.json({ product: row ?? null });
  });
  return app;
}
