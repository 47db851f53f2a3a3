import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { fakeSecret } from '../../packages/pii/test/support/fake-secrets';
import { loadAnthropic, loadGoogleGenAI, loadOpenAI } from '../support/sdk-versions';
import { telemetryToReceiver, type TelemetryUnderTest } from '../support/telemetry';

// Real SDK error paths whose error bodies echo the caller's key and prompt (a 401 that quotes the key,
// an overloaded Anthropic API, a Gemini INVALID_ARGUMENT with the key in its details), recorded the
// way applications record them: the SDK's thrown error as an exception event (message and stack
// trace) and as the status of the caller's span. Through setupTelemetry() with metrics on, into the
// real receiver: error.type is the provider's code, and no span, event, status or metric holds the
// key or the e-mail. Numbers of the spans are checked elsewhere; this file is about what leaks.

const OPENAI_KEY = fakeSecret.openaiProject('err');
const ANTHROPIC_KEY = fakeSecret.anthropic('err');
const GOOGLE_KEY = fakeSecret.google('err');
const EMAIL = 'jane.doe@patients-example.org';
const SECRETS = [OPENAI_KEY, ANTHROPIC_KEY, GOOGLE_KEY, EMAIL, OPENAI_KEY.slice(8, 40), ANTHROPIC_KEY.slice(14, 50), GOOGLE_KEY.slice(4, 30)];

let standIn: ProviderStandIn;
let otel: TelemetryUnderTest;

beforeAll(async () => {
  standIn = await startProviderStandIn();
  otel = await telemetryToReceiver({ metrics: { exportIntervalMillis: 60_000 } });
});
afterAll(async () => {
  await otel.close();
  await standIn.close();
});

const json = (status: number, body: object) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('401, 529 and 400 bodies that echo the key and the prompt: error.type kept, nothing secret arrives', async () => {
  standIn.script({
    path: '/v1/chat/completions',
    times: 1,
    respond: json(401, {
      error: {
        message: `Incorrect API key provided: ${OPENAI_KEY}. Prompt from ${EMAIL}`,
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    }),
  });
  standIn.script({
    path: '/v1/messages',
    times: 1,
    respond: json(529, { type: 'error', error: { type: 'overloaded_error', message: `Overloaded; request from ${EMAIL} with key ${ANTHROPIC_KEY}` } }),
  });
  standIn.script({
    path: /generateContent/,
    times: 1,
    respond: json(400, {
      error: {
        code: 400,
        message: `API key not valid: ${GOOGLE_KEY}. Prompt: ${EMAIL}`,
        status: 'INVALID_ARGUMENT',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', metadata: { key: GOOGLE_KEY } }],
      },
    }),
  });
  const { OpenAI } = await loadOpenAI();
  const { Anthropic } = await loadAnthropic();
  const { GoogleGenAI } = await loadGoogleGenAI();
  const openai = new OpenAI({ apiKey: OPENAI_KEY, baseURL: `${standIn.url}/v1`, maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: ANTHROPIC_KEY, baseURL: standIn.url, maxRetries: 0 });
  const google = new GoogleGenAI({ apiKey: GOOGLE_KEY, httpOptions: { baseUrl: standIn.url } });
  vi.spyOn(console, 'warn').mockImplementation(() => undefined); // the Anthropic SDK's model deprecation notice
  const calls = [
    () => openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `I am ${EMAIL}` }] }),
    () => anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: `I am ${EMAIL}` }] }),
    () => google.models.generateContent({ model: 'gemini-2.5-flash', contents: `I am ${EMAIL}` }),
  ];
  await trace.getTracer('app').startActiveSpan(`request for ${EMAIL}`, async (span) => {
    for (const call of calls) {
      try {
        await call();
        throw new Error('the call was expected to fail');
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      }
    }
    span.end();
  });
  vi.restoreAllMocks();

  const llm = await otel.flushedLlmSpans(3);
  await otel.receiver.waitFor((spans) => spans.some((span) => span.scope.name === 'app'));
  await otel.receiver.waitForMetrics((metrics) => metrics.some((metric) => metric.name === 'gen_ai.client.operation.duration'));
  const byProtocol = new Map(llm.map((span) => [span.attributes['llm_otel.protocol'], span]));
  expect(byProtocol.get('openai.chat_completions')?.attributes['error.type']).toBe('invalid_api_key');
  expect(byProtocol.get('anthropic.messages')?.attributes['error.type']).toBe('overloaded_error');
  expect(byProtocol.get('gcp.gemini.generate_content')?.attributes['http.response.status_code']).toBe(400);
  for (const span of llm) expect(span.status.code).toBe(SpanStatusCode.ERROR);

  const app = otel.receiver.spans.find((span) => span.scope.name === 'app')!;
  expect(app.events.filter((event) => event.name === 'exception')).toHaveLength(3);
  for (const event of app.events) expect(String(event.attributes['exception.stacktrace'])).toMatch(/\n\s+at /); // still useful

  const everything = JSON.stringify([otel.receiver.spans, otel.receiver.metrics], (_key, value: unknown) =>
    typeof value === 'bigint' ? String(value) : value,
  );
  for (const secret of SECRETS) expect(everything).not.toContain(secret);
});
