// The Ireland Pay connector (declarative) against the fake Ireland Pay CRM, through the shared
// conformance suite: paging by page number and by next URL, transactions per merchant in monthly
// windows from the start date, residual rows per month, incremental merchants and transactions.
import { irelandpayConnector } from "../../functions/_shared/connectors/irelandpay/mod.ts";
import { FAKE_IRELANDPAY_KEY, type FakeStream, startFakeIrelandPay } from "../fakes/irelandpay/mod.ts";
import { runConformance } from "./suite.ts";

runConformance("irelandpay", {
  connector: irelandpayConnector,
  config: { apiKey: FAKE_IRELANDPAY_KEY },
  pageSize: 7,
  startFake() {
    const fake = startFakeIrelandPay({ seed: 3, merchants: 5, perMonth: 4 });
    return {
      url: fake.url,
      close: fake.close,
      keys: (stream) => fake.state.keys(stream as FakeStream),
      touch: (stream, count) => fake.state.touch(stream as FakeStream, count),
    };
  },
});
