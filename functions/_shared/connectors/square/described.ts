// The Square streams that a description says as well as code: locations (one GET, no paging)
// and catalog categories (SearchCatalogObjects, Square's cursor in the JSON body). They run inside
// the hand-written Square connector (same client, headers and tables in sql/square.sql). The other
// Square streams stay code: orders and payments page across location chunks (10 ids per
// SearchOrders call, one per ListPayments call), customers switch endpoint when incremental, and
// catalog items pick their category from one of three fields.

import { declarativeStreams } from "../declarative/mod.ts";
import { type ConnectorSpecInput, parseSpec } from "../declarative/spec.ts";
import { SQUARE_BASE_URL, SQUARE_VERSION } from "./config.ts";

export const squareDescription = {
  name: "square",
  baseUrl: SQUARE_BASE_URL,
  auth: { type: "bearer", token: "accessToken" },
  headers: { "square-version": SQUARE_VERSION },
  streams: {
    locations: {
      path: "/v2/locations",
      records: "locations",
      key: ["id"],
      fields: {
        id: { type: "text" },
        name: { type: "text" },
        business_name: { type: "text" },
        status: { type: "text" },
        type: { type: "text" },
        country: { type: "text" },
        currency: { type: "text" },
        timezone: { type: "text" },
        merchant_id: { type: "text" },
        created_at: { type: "timestamptz" },
        // Square's Location has no updated_at: the merge versions these rows by observation time
        updated_at: { type: "timestamptz", path: null },
      },
      one: { path: "/v2/locations/{id}", record: "location" },
    },
    catalog_categories: {
      method: "POST",
      path: "/v2/catalog/search",
      body: { object_types: ["CATEGORY"], include_deleted_objects: true },
      records: "objects",
      pagination: { type: "cursor", path: "cursor", param: "cursor", sizeParam: "limit", in: "body" },
      maxPageSize: 1000,
      key: ["id"],
      // read whole every time (no filter): updated_at is the merge version and the high-water mark
      incremental: { cursorField: "updated_at" },
      fields: {
        id: { type: "text" },
        name: { type: "text", path: "category_data.name" },
        category_type: { type: "text", path: "category_data.category_type" },
        parent_category_id: { type: "text", path: "category_data.parent_category.id" },
        is_deleted: { type: "boolean", default: false },
        version: { type: "bigint" },
        created_at: { type: "timestamptz" },
        updated_at: { type: "timestamptz", required: true },
      },
      one: {
        path: "/v2/catalog/object/{id}",
        record: "object",
        where: { field: "type", equals: "CATEGORY" },
      },
    },
  },
} satisfies ConnectorSpecInput;

const [locations, catalogCategories] = declarativeStreams(parseSpec(squareDescription));
export { catalogCategories, locations };
