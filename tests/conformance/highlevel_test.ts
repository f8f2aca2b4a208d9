// The HighLevel connector against the fake HighLevel API, through the shared conformance suite.
import { highlevelConnector } from "../../functions/_shared/connectors/highlevel/mod.ts";
import {
  FAKE_HIGHLEVEL_LOCATION,
  FAKE_HIGHLEVEL_TOKEN,
  type FakeStream,
  startFakeHighLevel,
} from "../fakes/highlevel/mod.ts";
import { runConformance } from "./suite.ts";

runConformance("highlevel", {
  connector: highlevelConnector,
  config: { accessToken: FAKE_HIGHLEVEL_TOKEN, locationId: FAKE_HIGHLEVEL_LOCATION },
  pageSize: 20,
  startFake() {
    // the suite reads every listing several times: lift the burst limit (tested on its own)
    const fake = startFakeHighLevel({ seed: 11, products: 30, contacts: 130, orders: 45, rateLimitMax: 0 });
    return {
      url: fake.url,
      close: fake.close,
      keys: (stream) => fake.state.keys(stream as FakeStream),
      touch: (stream, count) => fake.state.touch(stream as FakeStream, count),
    };
  },
});
