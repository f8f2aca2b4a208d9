// Connectors described as data whose target tables are generated from the description
// (`deno task connector:sql <name>` writes sql/<name>.sql and its migration; a test keeps them equal).
import type { ConnectorSpecInput } from "./declarative/spec.ts";
import { irelandpayDescription } from "./irelandpay/description.ts";

export const describedConnectors: Record<string, { description: ConnectorSpecInput; source: string }> = {
  irelandpay: {
    description: irelandpayDescription,
    source: "functions/_shared/connectors/irelandpay/description.ts",
  },
};
