// The Bubble connector against the fake Bubble Data API, through the shared conformance suite.
// Two types (one with a space in its name) under an app version path; 20 records per page.
import { bubbleConnector } from "../../functions/_shared/connectors/bubble/mod.ts";
import { FAKE_BUBBLE_TOKEN, startFakeBubble } from "../fakes/bubble/mod.ts";
import { runConformance } from "./suite.ts";

/** Stream name -> the fake's type name. */
const types: Record<string, string> = { user: "user", order_item: "orderitem" };

runConformance("bubble", {
  connector: bubbleConnector(["user", "Order Item"]),
  config: { apiToken: FAKE_BUBBLE_TOKEN, appUrl: "https://example.bubbleapps.io/version-test" },
  pageSize: 20,
  startFake() {
    const fake = startFakeBubble({ seed: 5, types: { user: 130, orderitem: 45 }, prefix: "/version-test" });
    return {
      url: fake.url,
      close: fake.close,
      keys: (stream) => fake.state.keys(types[stream]),
      touch: (stream, count) => fake.state.touch(types[stream], count),
    };
  },
});
