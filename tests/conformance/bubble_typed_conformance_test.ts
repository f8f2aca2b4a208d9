// The Bubble connector with the invoicing model (typed tables) against the fake Bubble Data API,
// through the shared conformance suite.
import { bubbleConnector } from "../../functions/_shared/connectors/bubble/mod.ts";
import { invoicingModel } from "../../functions/_shared/connectors/bubble/model/invoicing.ts";
import { FAKE_BUBBLE_TOKEN, startFakeBubble } from "../fakes/bubble/mod.ts";
import { invoicingData } from "../fakes/bubble/invoicing.ts";
import { runConformance } from "./suite.ts";

const apiType = Object.fromEntries(invoicingModel.types.map((t) => [t.name, t.apiType]));

runConformance("bubble (typed)", {
  connector: bubbleConnector([], { model: invoicingModel }),
  config: { apiToken: FAKE_BUBBLE_TOKEN, appUrl: "https://invoicing.bubbleapps.io" },
  pageSize: 20,
  startFake() {
    const fake = startFakeBubble({ data: invoicingData({ invoices: 45 }) });
    return {
      url: fake.url,
      close: fake.close,
      keys: (stream) => fake.state.keys(apiType[stream]),
      touch: (stream, count) => fake.state.touch(apiType[stream], count),
    };
  },
});
