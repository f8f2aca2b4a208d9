// The Ireland Pay CRM connector: merchants, their transactions (month by month from the start
// date, per merchant) and monthly residual rows — built from its description alone.
// Settings: IRELANDPAY_API_KEY, IRELANDPAY_BASE_URL, IRELANDPAY_START_DATE (default 2024-04-01).
import type { Connector } from "../../engine/connector/mod.ts";
import { declarativeConnector } from "../declarative/mod.ts";
import { irelandpayDescription } from "./description.ts";

const described = declarativeConnector(irelandpayDescription);
export const irelandpayConnector: Connector = {
  ...described,
  // the X-API-KEY of the CRM (401 when missing or wrong)
  operator: {
    ...described.operator!,
    vendor: "Ireland Pay",
    renew: "create a new API key in the Ireland Pay CRM",
  },
};

export { IRELANDPAY_START_DATE, irelandpayDescription } from "./description.ts";
