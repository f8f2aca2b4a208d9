// The HighLevel streams in dependency order: products and their prices, contacts, orders.
import type { StreamDef } from "../../engine/connector/mod.ts";
import { contacts } from "./contacts.ts";
import { orders } from "./orders.ts";
import { prices, products } from "./products.ts";

export { contacts, orders, prices, products };

export const highlevelStreams: StreamDef[] = [products, prices, contacts, orders] as StreamDef[];
