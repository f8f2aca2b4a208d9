// The worked example: an invoicing app on Bubble. Agents sell to customers; users log in (as an
// agent or a customer); an invoice belongs to an agent and a customer and lists its payments,
// submitted payments and items; a SEDA registration (the solar-permit filing of a sale) points
// at its invoices, its customer and the deposit payment, and the invoice points back at it.
import type { BubbleModel, FieldMapping } from "./types.ts";

const text = (column: string): FieldMapping => ({ column, type: "text" });
const num = (column: string): FieldMapping => ({ column, type: "numeric" });
const int = (column: string): FieldMapping => ({ column, type: "integer" });
const bool = (column: string): FieldMapping => ({ column, type: "boolean" });
const date = (column: string): FieldMapping => ({ column, type: "timestamptz" });
const json = (column: string): FieldMapping => ({ column, type: "jsonb" });
const texts = (column: string): FieldMapping => ({ column, type: "text[]" });
const link = (column: string, target: string, more: Partial<FieldMapping> = {}): FieldMapping => ({
  column,
  type: "text",
  link: target,
  ...more,
});
const links = (column: string, target: string): FieldMapping => ({ column, type: "text[]", link: target });

export const invoicingModel: BubbleModel = {
  schema: "bubble",
  roots: ["invoice"],
  types: [
    {
      name: "agent",
      apiType: "agent",
      fields: {
        "Created By": text("created_by"),
        name: text("name"),
        email: text("email"),
        phone: text("phone"),
        agency: text("agency"),
        commission_rate: num("commission_rate"),
        active: bool("active"),
      },
    },
    {
      name: "customer",
      apiType: "customer",
      fields: {
        "Created By": text("created_by"),
        name: text("name"),
        email: text("email"),
        phone: text("phone"),
        address: text("address"),
        city: text("city"),
        postcode: text("postcode"),
        ic_number: text("ic_number"),
        tags: texts("tags"),
        notes: text("notes"),
      },
    },
    {
      name: "user",
      apiType: "user",
      fields: {
        "Created By": text("created_by"),
        authentication: json("authentication"),
        user_signed_up: bool("user_signed_up"),
        name: text("name"),
        role: text("role"),
        agent: link("agent", "agent"),
        customer: link("customer", "customer"),
      },
    },
    {
      name: "invoice",
      apiType: "invoice",
      fields: {
        "Created By": link("created_by", "user"),
        invoice_no: text("invoice_no"),
        status: text("status"),
        issue_date: date("issue_date"),
        due_date: date("due_date"),
        subtotal: num("subtotal"),
        discount: num("discount"),
        tax: num("tax"),
        total: num("total"),
        amount_paid: num("amount_paid"),
        balance: num("balance"),
        currency: text("currency"),
        system_size_kw: num("system_size_kw"),
        panel_count: int("panel_count"),
        notes: text("notes"),
        agent: link("agent", "agent"),
        customer: link("customer", "customer"),
        payments: links("payments", "payment"),
        submitted_payments: links("submitted_payments", "submitted_payment"),
        items: links("items", "invoice_item"),
        seda_registration: link("seda_registration", "seda_registration", {
          backLink: true,
          inverse: "linked_invoice",
          keepLocalWhenEmpty: true,
        }),
      },
    },
    {
      name: "payment",
      apiType: "payment",
      fields: {
        "Created By": text("created_by"),
        invoice: link("invoice", "invoice"),
        amount: num("amount"),
        method: text("method"),
        reference: text("reference"),
        paid_at: date("paid_at"),
        status: text("status"),
      },
    },
    {
      name: "submitted_payment",
      apiType: "submittedpayment",
      fields: {
        "Created By": text("created_by"),
        invoice: link("invoice", "invoice"),
        submitted_by: link("submitted_by", "user"),
        amount: num("amount"),
        receipt: text("receipt"),
        submitted_at: date("submitted_at"),
        approved: bool("approved"),
      },
    },
    {
      name: "invoice_item",
      apiType: "invoiceitem",
      fields: {
        "Created By": text("created_by"),
        invoice: link("invoice", "invoice"),
        description: text("description"),
        quantity: num("quantity"),
        unit_price: num("unit_price"),
        amount: num("amount"),
        sort_order: int("sort_order"),
      },
    },
    {
      name: "seda_registration",
      apiType: "sedaregistration",
      fields: {
        "Created By": text("created_by"),
        linked_invoice: links("linked_invoice", "invoice"),
        linked_customer: link("linked_customer", "customer", { keepLocalWhenEmpty: true }),
        deposit_payment: link("deposit_payment", "payment"),
        registration_no: text("registration_no"),
        status: text("status"),
        system_size_kw: num("system_size_kw"),
        submitted_at: date("submitted_at"),
        approved_at: date("approved_at"),
      },
    },
  ],
};
