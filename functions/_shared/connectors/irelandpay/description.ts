// Ireland Pay CRM, described. Ireland Pay publishes no API documentation, so this is the shape
// of a typical merchant-services CRM, modelled on IRIS CRM's published Open API v1 (the CRM many
// ISOs run; PHP SDK iris-crm/php-sdk): X-API-KEY header, 120 requests per minute, Laravel-style
// pages ({data, links: {next}, meta: {current_page, last_page, total}}), merchants filtered by
// date_filter=modified&start_date&end_date (ISO), per-merchant transactions filtered by
// start_date/end_date (Y-m-d, inclusive) and monthly residual report rows per merchant at
// /residuals/reports/summary/rows/{year}/{month}. Assumed where IRIS differs or is silent:
// transactions are flat records (IRIS nests them in batches) with a type (sale, refund,
// chargeback), a decimal amount and a currency; residual rows carry their period. See docs/irelandpay.md.
import type { ConnectorSpecInput } from "../declarative/spec.ts";

export const IRELANDPAY_START_DATE = "2024-04-01";

export const irelandpayDescription = {
  name: "irelandpay",
  baseUrl: "https://crm.irelandpay.com/api/v1",
  auth: { type: "header", header: "X-API-KEY", key: "apiKey" },
  rateLimit: { requests: 120, perSeconds: 60 },
  pageSize: 100,
  streams: {
    merchants: {
      path: "/merchants",
      // page numbers over a stable order: sorted by modified, a merchant edited mid-listing moves to
      // the end and every later one shifts back a place, so one is skipped; sorted by mid it stays put
      query: { sort_by: "mid", sort_dir: "asc" },
      records: "data",
      total: "meta.total",
      // IRIS caps per_page per endpoint: a short page is not the end while meta.last_page says more
      pagination: {
        type: "page",
        param: "page",
        sizeParam: "per_page",
        totalPagesPath: "meta.last_page",
        nextPath: "links.next",
      },
      maxPageSize: 100,
      key: ["mid"],
      incremental: {
        cursorField: "modified",
        lookbackHours: 1,
        filter: { start: "start_date", end: "end_date", format: "iso", with: { date_filter: "modified" } },
      },
      fields: {
        mid: { type: "text" },
        name: { type: "text" },
        dba: { type: "text" },
        status: { type: "text" },
        active: { type: "boolean" },
        group_name: { type: "text", path: "group" },
        processor: { type: "text" },
        sic_code: { type: "text" },
        opened: { type: "date" },
        closed: { type: "date" },
        created: { type: "timestamptz" },
        modified: { type: "timestamptz", required: true },
      },
      one: { path: "/merchants/{id}", record: "data" },
    },
    transactions: {
      path: "/merchants/{parent.mid}/transactions",
      records: "data",
      pagination: { type: "next_url", path: "links.next", sizeParam: "per_page" },
      maxPageSize: 500,
      parent: { stream: "merchants", field: "mid" },
      key: ["id"],
      // a transaction is dated, not edited: the latest read wins
      version: null,
      incremental: {
        cursorField: "date",
        lookbackHours: 72,
        filter: { start: "start_date", end: "end_date", format: "date", endInclusive: true },
      },
      windows: { step: "month", start: IRELANDPAY_START_DATE },
      fields: {
        id: { type: "text" },
        mid: { type: "text", required: true, index: true },
        date: { type: "timestamptz", required: true, index: true },
        type: { type: "text", required: true },
        status: { type: "text" },
        amount: { type: "numeric", required: true },
        currency: { type: "text", default: "EUR" },
        card_brand: { type: "text" },
        cardholder: { type: "text" },
        auth_code: { type: "text" },
        pos_entry_mode: { type: "text" },
        invoice_number: { type: "text" },
        batch_reference: { type: "text" },
      },
      one: { path: "/transactions/{id}", record: "data" },
    },
    residuals: {
      path: "/residuals/reports/summary/rows/{window.year}/{window.month}",
      records: "data",
      pagination: {
        type: "page",
        param: "page",
        sizeParam: "per_page",
        totalPagesPath: "meta.last_page",
        nextPath: "links.next",
      },
      maxPageSize: 100,
      key: ["mid", "period"],
      version: null,
      dependsOn: ["merchants"],
      windows: { step: "month", start: IRELANDPAY_START_DATE },
      fields: {
        mid: { type: "text" },
        period: { type: "date" },
        merchant_name: { type: "text", path: "merchant" },
        transactions: { type: "integer" },
        sales_amount: { type: "numeric" },
        income: { type: "numeric" },
        expense: { type: "numeric" },
        net: { type: "numeric" },
        bps: { type: "numeric" },
        agent_net: { type: "numeric" },
      },
    },
  },
} satisfies ConnectorSpecInput;
