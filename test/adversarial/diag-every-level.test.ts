import { afterEach, expect, test, vi } from 'vitest';
import { diag } from '@opentelemetry/api';
import { startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { realisticChatRoute, startProviderStandIn } from '@llm-otel/provider-stand-in';
import { setupTelemetry } from '@llm-otel/setup';
import { fakeSecret } from '../../packages/pii/test/support/fake-secrets';
import { loadOpenAI } from '../support/sdk-versions';

// OTEL_LOG_LEVEL=all prints everything the SDK, the exporters and llm-otel say, including the
// exporters' failures against a dead backend. Export credentials with no recognisable shape (a
// vendor's 32-hex team key in OTEL_EXPORTER_OTLP_HEADERS) cannot be found by a detector: they must
// never be handed to diag at all. The provider key of the LLM call and the captured prompt are masked.

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  diag.disable();
});

const TEAM_KEY = '9f3c2a7b4e1d8c6f0a5b3e7d2c1f4a8b';
const PROVIDER_KEY = fakeSecret.openaiProject('diag-all');
const EMAIL = 'jane.doe@patients-example.org';

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  for (const backend of ['up', 'down'] as const) {
    test(`${protocol}, backend ${backend}: no export credential, key or e-mail in any diag line`, async () => {
      const lines: string[] = [];
      for (const method of ['error', 'warn', 'info', 'debug', 'log'] as const)
        vi.spyOn(console, method).mockImplementation((line: unknown) => void lines.push(String(line)));
      const receiver = await startOtlpReceiver();
      const standIn = await startProviderStandIn();
      standIn.script(realisticChatRoute());
      vi.stubEnv('OTEL_LOG_LEVEL', 'all');
      vi.stubEnv('OTEL_EXPORTER_OTLP_HEADERS', `x-honeycomb-team=${TEAM_KEY},api-key=${TEAM_KEY}`);
      vi.stubEnv('LLM_OTEL_METRICS', 'true');
      const endpoint = backend === 'down' ? 'http://127.0.0.1:1' : protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl;
      const telemetry = setupTelemetry({
        handleSignals: false,
        protocol,
        endpoint,
        captureContent: true,
        shutdownTimeoutMillis: 500,
        batch: { scheduledDelayMillis: 20 },
      });
      try {
        const { OpenAI } = await loadOpenAI();
        const openai = new OpenAI({ apiKey: PROVIDER_KEY, baseURL: `${standIn.url}/v1`, maxRetries: 0 });
        await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `I am ${EMAIL}` }] });
        await telemetry.forceFlush();
      } finally {
        await telemetry.shutdown();
        await receiver.close();
        await standIn.close();
      }
      const output = lines.join('\n');
      expect(lines.length).toBeGreaterThan(0);
      for (const secret of [TEAM_KEY, PROVIDER_KEY, EMAIL]) expect(output).not.toContain(secret);
    });
  }
}
