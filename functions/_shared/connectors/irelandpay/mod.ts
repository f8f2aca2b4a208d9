// The Ireland Pay CRM connector: merchants, their transactions (month by month from the start
// date, per merchant) and monthly residual rows — built from its description alone.
// Settings: IRELANDPAY_API_KEY, IRELANDPAY_BASE_URL, IRELANDPAY_START_DATE (default 2024-04-01).
import type { Connector } from "../../engine/connector/mod.ts";
import { declarativeConnector } from "../declarative/mod.ts";
import { irelandpayDescription } from "./description.ts";

export const irelandpayConnector: Connector = declarativeConnector(irelandpayDescription);

export { IRELANDPAY_START_DATE, irelandpayDescription } from "./description.ts";
