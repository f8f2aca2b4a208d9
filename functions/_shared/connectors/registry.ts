// Every connector the engine knows, by name. Adding a connector is one line here.
import type { Connector } from "../engine/connector/mod.ts";
import { bubbleFromSettings } from "./bubble/mod.ts";
import { highlevelConnector } from "./highlevel/mod.ts";
import { irelandpayConnector } from "./irelandpay/mod.ts";
import { squareConnector } from "./square/mod.ts";

/**
 * The connectors for the settings of each (config.ts: SynclineConfig.connectors); built when a
 * process starts, so nothing reads the environment at import time.
 */
export function createConnectors(
  settings: Record<string, Record<string, unknown>> = {},
): Record<string, Connector> {
  const all: Connector[] = [
    squareConnector,
    highlevelConnector,
    bubbleFromSettings(settings.bubble),
    irelandpayConnector,
  ];
  return Object.fromEntries(all.map((c) => [c.name, c]));
}

/** The connectors with default settings (their names, tests, benchmarks). */
export const connectors: Record<string, Connector> = createConnectors();
