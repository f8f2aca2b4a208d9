// The fake API of every described connector (functions/_shared/connectors/described.ts): the
// conformance suite runs each described connector against its fake automatically, and fails for
// a described connector that has none.
import type { ConformanceFake } from "../conformance/suite.ts";
import { FAKE_IRELANDPAY_KEY, type FakeStream, startFakeIrelandPay } from "./irelandpay/mod.ts";

export interface DescribedFake {
  /** Connector settings for the fake (the suite points baseUrl at it). */
  config: Record<string, unknown>;
  /** Records per page: small, so paging is exercised. */
  pageSize?: number;
  start(): ConformanceFake;
}

export const describedFakes: Record<string, DescribedFake> = {
  irelandpay: {
    config: { apiKey: FAKE_IRELANDPAY_KEY },
    pageSize: 7,
    start() {
      const fake = startFakeIrelandPay({ seed: 3, merchants: 5, perMonth: 4 });
      return {
        url: fake.url,
        close: fake.close,
        keys: (stream) => fake.state.keys(stream as FakeStream),
        touch: (stream, count) => fake.state.touch(stream as FakeStream, count),
      };
    },
  },
};
