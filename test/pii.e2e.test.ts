import { afterAll, beforeAll, expect, test } from 'vitest';
import { trace } from '@opentelemetry/api';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { loadOpenAI } from './support/sdk-versions';
import { telemetryToReceiver, type TelemetryUnderTest } from './support/telemetry';

// PII in prompts, in responses and in another library's span: none of it may reach the backend.
const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1111';
const SSN = '123-45-6789';
// Built at run time so that no secret-shaped literal is committed.
const OPENAI_KEY = ['sk', 'proj', 'AbCdEfGhIjKlMnOpQrSt', 'T3BlbkFJ', 'UvWxYz0123456789AbCd'].join('-').replace('-T3', 'T3').replace('J-', 'J');

let standIn: ProviderStandIn;
let otel: TelemetryUnderTest;

beforeAll(async () => {
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute({ answer: { content: `I refunded card ${CARD} and noted SSN ${SSN} on the ticket.` } }));
  otel = await telemetryToReceiver({ captureContent: true, providers: [{ baseUrl: standIn.url, name: 'openai' }] });
});
afterAll(async () => {
  await otel.close();
  await standIn.close();
});

test("captured prompts and completions, streamed or not, and other libraries' spans arrive masked", async () => {
  const { OpenAI } = await loadOpenAI();
  const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
  const prompt = `I am ${EMAIL}, my key ${OPENAI_KEY} leaked, please refund.`;
  const tracer = trace.getTracer('some-other-library');
  await tracer.startActiveSpan(`handle ticket for ${EMAIL}`, async (span) => {
    span.setAttribute('customer.email', EMAIL);
    span.addEvent('note', { text: `card ${CARD}` });
    const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
    // The application itself sees everything unmasked.
    expect(completion.choices[0].message.content).toContain(CARD);
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: prompt }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _chunk of stream) {
      /* read */
    }
    span.end();
  });

  await otel.flushedLlmSpans(2);
  await otel.receiver.waitFor((spans) => spans.some((span) => span.scope.name === 'some-other-library'));
  const everything = JSON.stringify(otel.receiver.spans, (_key, value) => (typeof value === 'bigint' ? String(value) : value));
  for (const secret of [EMAIL, CARD, CARD.replaceAll(' ', ''), SSN, OPENAI_KEY]) expect(everything).not.toContain(secret);

  const llm = otel.receiver.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
  expect(llm).toHaveLength(2);
  for (const span of llm) {
    expect(String(span.attributes['gen_ai.input.messages'])).toContain('<EMAIL>');
    expect(String(span.attributes['gen_ai.output.messages'])).toMatch(/<CREDIT_CARD>|<PAYMENT_CARD>|<CARD[^>]*>/);
    expect(span.attributes['llm_otel.redaction.masked.count']).toBeGreaterThanOrEqual(4);
    // Identifiers stay readable for the auditor.
    expect(span.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
    expect(span.attributes['server.address']).toBe('127.0.0.1');
  }
  const other = otel.receiver.spans.find((span) => span.scope.name === 'some-other-library')!;
  expect(other.name).toBe('handle ticket for <EMAIL>');
  expect(other.attributes['customer.email']).toBe('<EMAIL>');
});

test('tool-call arguments cut mid-stream keep their JSON escapes (\\u0040) and still arrive masked', async () => {
  // The model escaped the @ inside the arguments it streamed; the stream is cut before they close,
  // so the instrumentation can only keep the raw, unparsed argument text.
  const args = '{"to":"jane.doe\\u0040example.com","note":"card 4111\\u00201111\\u00201111\\u00201111';
  const chunk = (delta: object) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-cut', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
  const chunks = [
    chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'send_mail', arguments: '' } }] }),
    ...Array.from({ length: Math.ceil(args.length / 7) }, (_, i) =>
      chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(i * 7, i * 7 + 7) } }] }),
    ),
  ];
  standIn.script({
    path: '/v1/chat/completions',
    times: 1,
    respond: { headers: { 'content-type': 'text/event-stream' }, chunks, destroyAfterChunks: chunks.length },
  });
  otel.receiver.clear();

  const { OpenAI } = await loadOpenAI();
  const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
  const received: string[] = [];
  await expect(
    (async () => {
      const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'mail her' }], stream: true });
      for await (const part of stream) received.push(part.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '');
    })(),
  ).rejects.toThrow();
  // The application received the escape exactly as sent.
  expect(received.join('')).toContain('jane.doe\\u0040example.com');

  const [span] = await otel.flushedLlmSpans(1);
  const output = String(span!.attributes['gen_ai.output.messages'] ?? '');
  expect(output, 'the cut arguments are captured').toContain('send_mail');
  const everything = JSON.stringify(otel.receiver.spans, (_key, value) => (typeof value === 'bigint' ? String(value) : value));
  for (const leaked of ['jane.doe', 'example.com', '1111\\\\u00201111']) expect(everything).not.toContain(leaked);
  expect(output).toContain('<EMAIL>');
});
