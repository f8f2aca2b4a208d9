// Every connector the engine knows, by name.
import type { Connector } from "../engine/connector.ts";
import { bubbleDefault } from "./bubble/mod.ts";
import { highlevelConnector } from "./highlevel/mod.ts";
import { irelandpayConnector } from "./irelandpay/mod.ts";
import { squareConnector } from "./square/mod.ts";

export const connectors: Record<string, Connector> = {
  [squareConnector.name]: squareConnector,
  [highlevelConnector.name]: highlevelConnector,
  [bubbleDefault.name]: bubbleDefault,
  [irelandpayConnector.name]: irelandpayConnector,
};
