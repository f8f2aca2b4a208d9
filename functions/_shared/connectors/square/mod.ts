// The Square connector: locations, customers, catalog, orders, payments and inventory counts.
import type { Connector } from "../../engine/connector.ts";
import { SQUARE_BASE_URL, squareHeaders } from "./config.ts";
import { squareStreams } from "./streams.ts";

export const squareConnector: Connector = {
  name: "square",
  baseUrl: SQUARE_BASE_URL,
  streams: squareStreams,
  pageSize: 100,
  headers: squareHeaders,
};

export { parseSquareConfig, SQUARE_VERSION, type SquareConfig } from "./config.ts";
