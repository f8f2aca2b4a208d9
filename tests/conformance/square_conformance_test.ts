// The Square connector against the fake Square API, through the shared conformance suite.
// Twelve locations make SearchOrders page across two location chunks.
import { squareConnector } from "../../functions/_shared/connectors/square/mod.ts";
import { FAKE_SQUARE_TOKEN, type FakeStream, startFakeSquare } from "../fakes/square/mod.ts";
import { runConformance } from "./suite.ts";

runConformance("square", {
  connector: squareConnector,
  config: { accessToken: FAKE_SQUARE_TOKEN },
  pageSize: 50,
  startFake() {
    const fake = startFakeSquare({
      seed: 7,
      locations: 12,
      customers: 120,
      categories: 5,
      items: 25,
      orders: 1200,
    });
    return {
      url: fake.url,
      close: fake.close,
      keys: (stream) => fake.state.keys(stream as FakeStream),
      touch: (stream, count) => fake.state.touch(stream as FakeStream, count),
    };
  },
});
