import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import type { LlmInstrumentationConfig, ProviderEndpoint } from '@llm-otel/instrumentation';
import { instrumentInMemory, type InstrumentedUnderTest } from '../../support/in-memory';

export interface SdkHarness {
  /** The stand-in of this test file, started before its first test. */
  readonly standIn: ProviderStandIn;
  /**
   * Starts the instrumentation, recording into memory, with the file's registered providers unless
   * `providers` says otherwise; it is closed after the test. Tests first run their call without it,
   * then call this and run it again: the SDK's result must not change.
   */
  instrument(providers?: ProviderEndpoint[]): InstrumentedUnderTest;
  /**
   * Runs `call` without the instrumentation, then starts it and runs `call` again, and fails unless
   * the SDK gave the same result both times: the instrumentation changes nothing the caller sees.
   */
  sameWithAndWithout<T>(call: () => Promise<T>, providers?: ProviderEndpoint[]): Promise<{ result: T; otel: InstrumentedUnderTest }>;
}

/**
 * Registers the vitest hooks of one SDK test file: a stand-in for the whole file, the instrumentation
 * per test. `providers` names the stand-in's base URLs as the real hosts would be named.
 */
export function sdkHarness(providers: (standInUrl: string) => ProviderEndpoint[], config: LlmInstrumentationConfig = {}): SdkHarness {
  let standIn: ProviderStandIn | undefined;
  let otel: InstrumentedUnderTest | undefined;
  beforeAll(async () => {
    standIn = await startProviderStandIn();
  });
  afterAll(async () => {
    await standIn?.close();
  });
  afterEach(async () => {
    await otel?.close();
    otel = undefined;
  });
  return {
    get standIn() {
      if (!standIn) throw new Error('the stand-in starts in beforeAll');
      return standIn;
    },
    instrument(explicit) {
      otel = instrumentInMemory({ ...config, providers: explicit ?? providers(this.standIn.url) });
      return otel;
    },
    async sameWithAndWithout(call, explicit) {
      const uninstrumented = await call();
      const instrumented = this.instrument(explicit);
      const result = await call();
      expect(result).toEqual(uninstrumented);
      return { result, otel: instrumented };
    },
  };
}
