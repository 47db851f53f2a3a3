import { SpanKind, SpanStatusCode, context, trace, type Attributes, type Link } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { PiiMaskingSpanProcessor, type PiiMaskingOptions } from '@llm-otel/pii';
import { fakeSecret } from './support/fake-secrets';
import { resourceFromAttributes } from './support/sdk-resources';

/** Keeps the spans exactly as the SDK ended them, to show the originals are untouched. */
class RecordingProcessor implements SpanProcessor {
  readonly ended: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.ended.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const CARD = '4111 1111 1111 1111';
const EMAIL = 'jane.doe@example.com';
const RRN = '900101-1234568';
const IBAN = 'DE89 3704 0044 0532 0130 00';
const SSN = '536-22-1049';

interface Pipeline {
  provider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
  recorder: RecordingProcessor;
}

const providers: BasicTracerProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.shutdown()));
});

function pipeline(options?: PiiMaskingOptions, limits?: { attributeValueLengthLimit?: number }): Pipeline {
  const exporter = new InMemorySpanExporter();
  const recorder = new RecordingProcessor();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-agent', 'deployment.owner': 'ops-team@example.com' }),
    spanLimits: limits,
    spanProcessors: [
      recorder,
      // A long delay: nothing is exported (or read) until forceFlush.
      new PiiMaskingSpanProcessor(new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 }), options),
    ],
  });
  providers.push(provider);
  return { provider, exporter, recorder };
}

function exported(exporter: InMemorySpanExporter, name?: string): ReadableSpan {
  const spans = exporter.getFinishedSpans();
  const span = name === undefined ? spans[0] : spans.find((s) => s.name === name);
  if (!span) throw new Error(`no exported span ${name ?? ''}; have ${spans.map((s) => s.name).join(', ')}`);
  return span;
}

function recordLlmSpan(provider: BasicTracerProvider): void {
  const tracer = provider.getTracer('@llm-otel/instrumentation', '0.1.0');
  const linked = tracer.startSpan('linked');
  const link: Link = { context: linked.spanContext(), attributes: { 'link.note': `from ${EMAIL}` } };
  linked.end();
  const span = tracer.startSpan(`chat for ${EMAIL}`, { kind: SpanKind.CLIENT, links: [link] });
  span.setAttributes({
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.id': 'chatcmpl-4111111111111111',
    'server.address': '203.0.113.42',
    'server.port': 443,
    'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `My card is ${CARD}\nand my RRN ${RRN}, mail ${EMAIL}` }] }]),
    'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: `Refund to ${IBAN}` }] }]),
    'http.request.header.authorization': [`Bearer ${fakeSecret.opaque('auth', 40)}`],
    'openai.api_key': 'plainsecretvalue',
    'customer.phones': ['+1 415-555-2671', 'none'],
    'customer.card_number_as_number': 4111111111111111,
    'gen_ai.usage.input_tokens': 1234,
  });
  span.addEvent(`ssn ${SSN} seen`, { 'event.iban': IBAN, 'event.count': 3 });
  span.setStatus({ code: SpanStatusCode.ERROR, message: `failed for ${EMAIL}` });
  span.end();
}

describe('PiiMaskingSpanProcessor behind a BatchSpanProcessor', () => {
  it('masks name, attributes, JSON messages, events, links, status and resource; keeps allow-listed keys and numbers', async () => {
    const { provider, exporter } = pipeline();
    recordLlmSpan(provider);
    await provider.forceFlush();

    const span = exported(exporter, 'chat for <EMAIL>');
    expect(span.attributes['gen_ai.input.messages']).toBe(
      JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'My card is <CREDIT_CARD>\nand my RRN <KR_RRN>, mail <EMAIL>' }] }]),
    );
    expect(span.attributes['gen_ai.output.messages']).toContain('Refund to <IBAN>');
    expect(span.attributes['http.request.header.authorization']).toEqual(['<SECRET>']);
    expect(span.attributes['openai.api_key']).toBe('<SECRET>');
    expect(span.attributes['customer.phones']).toEqual(['<PHONE>', 'none']);
    // Allow-listed keys and numbers are not scanned.
    expect(span.attributes['server.address']).toBe('203.0.113.42');
    expect(span.attributes['gen_ai.response.id']).toBe('chatcmpl-4111111111111111');
    expect(span.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
    expect(span.attributes['customer.card_number_as_number']).toBe(4111111111111111);
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(1234);

    expect(span.events).toHaveLength(1);
    expect(span.events[0]!.name).toBe('ssn <US_SSN> seen');
    expect(span.events[0]!.attributes).toEqual({ 'event.iban': '<IBAN>', 'event.count': 3 });
    expect(span.links[0]!.attributes).toEqual({ 'link.note': 'from <EMAIL>' });
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'failed for <EMAIL>' });
    expect(span.resource.attributes).toEqual({ 'service.name': 'support-agent', 'deployment.owner': '<EMAIL>' });

    // name 1 + input 3 + output 1 + 2 secret keys + phone 1 + event name 1 + event attr 1 + link 1 + status 1
    expect(span.attributes['llm_otel.redaction.masked.count']).toBe(12);
    expect(span.attributes['llm_otel.redaction.masked.types']).toEqual(['CREDIT_CARD', 'EMAIL', 'IBAN', 'KR_RRN', 'PHONE', 'SECRET', 'US_SSN']);
  });

  it('never modifies the span the SDK ended', async () => {
    const { provider, exporter, recorder } = pipeline();
    recordLlmSpan(provider);
    await provider.forceFlush();
    expect(exporter.getFinishedSpans()).toHaveLength(2);

    const original = recorder.ended.find((span) => span.name.startsWith('chat'))!;
    expect(original.name).toBe(`chat for ${EMAIL}`);
    expect(original.attributes['gen_ai.input.messages']).toContain(CARD);
    expect(original.attributes['openai.api_key']).toBe('plainsecretvalue');
    expect(original.attributes['llm_otel.redaction.masked.count']).toBeUndefined();
    expect(original.events[0]!.name).toBe(`ssn ${SSN} seen`);
    expect(original.links[0]!.attributes).toEqual({ 'link.note': `from ${EMAIL}` });
    expect(original.status.message).toBe(`failed for ${EMAIL}`);
    expect(original.resource.attributes['deployment.owner']).toBe('ops-team@example.com');
  });

  it('hands the downstream a view that delegates every other ReadableSpan member to the original', async () => {
    const { provider, exporter, recorder } = pipeline();
    const tracer = provider.getTracer('scope-x', '2.0.0');
    const parent = tracer.startSpan('parent');
    const child = tracer.startSpan('child', { kind: SpanKind.PRODUCER }, trace.setSpan(context.active(), parent));
    child.end();
    parent.end();
    await provider.forceFlush();

    const view = exported(exporter, 'child');
    const original = recorder.ended.find((span) => span.name === 'child')!;
    expect(view).not.toBe(original);
    expect(view.spanContext()).toEqual(original.spanContext());
    const delegated: Array<keyof ReadableSpan> = [
      'kind',
      'parentSpanContext',
      'startTime',
      'endTime',
      'duration',
      'ended',
      'instrumentationScope',
      'droppedAttributesCount',
      'droppedEventsCount',
      'droppedLinksCount',
    ];
    for (const member of delegated) expect(view[member], member).toBe(original[member]);
    expect(view.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(view.kind).toBe(SpanKind.PRODUCER);
  });

  it('masks spans of every library and masks each resource once, keeping one resource object for the exporter', async () => {
    let resourceScans = 0;
    const { provider, exporter } = pipeline({
      detectors: [
        {
          type: 'TEAM',
          pattern: /ops-team/,
          validate: () => {
            resourceScans++;
            return true;
          },
        },
      ],
    });
    provider.getTracer('some-http-library').startSpan(`GET /users/${EMAIL}`).end();
    provider.getTracer('some-db-library').startSpan('query').setAttribute('db.query.text', `select * where ssn = '${SSN}'`).end();
    provider.getTracer('@llm-otel/instrumentation').startSpan('chat').end();
    await provider.forceFlush();

    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(['GET /users/<EMAIL>', 'chat', 'query']);
    expect(exported(exporter, 'query').attributes['db.query.text']).toBe("select * where ssn = '<US_SSN>'");
    // One view per resource: the exporter groups the three spans under one resource.
    expect(new Set(spans.map((s) => s.resource)).size).toBe(1);
    for (const span of spans) expect(span.resource.attributes['deployment.owner']).toBe('<TEAM>@example.com');
    expect(resourceScans).toBe(1);
    // A span without findings carries no summary, as in the Collector.
    expect(exported(exporter, 'chat').attributes['llm_otel.redaction.masked.count']).toBeUndefined();
  });

  it('masks resource attributes that an asynchronous detector delivers late', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'svc', 'host.admin': Promise.resolve('admin@example.org') }),
      spanProcessors: [new PiiMaskingSpanProcessor(new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 }))],
    });
    providers.push(provider);
    provider.getTracer('app').startSpan('s').end();
    await provider.forceFlush();
    expect(exported(exporter).resource.attributes).toEqual({ 'service.name': 'svc', 'host.admin': '<EMAIL>' });
  });

  it('does no masking on the application call path: onEnd only wraps, the first read masks, later reads reuse it', async () => {
    let validations = 0;
    const { provider, exporter } = pipeline({
      detectors: [{ type: 'ORDER', pattern: /ORD-[0-9]+/, validate: () => (validations++, true) }],
    });
    const span = provider.getTracer('app').startSpan('order ORD-42');
    span.setAttribute('note', 'ORD-43');
    span.end();
    expect(validations).toBe(0);
    // The in-memory exporter only keeps the spans; an OTLP exporter reads them while serialising.
    await provider.forceFlush();
    expect(validations).toBe(0);
    const view = exported(exporter);
    expect(view.name).toBe('order <ORDER>');
    expect(validations).toBe(2);
    expect(view.attributes['note']).toBe('<ORDER>');
    expect(validations).toBe(2);
  });

  it('fails closed: a throwing detector or an over-long value becomes a marker, never the raw value', async () => {
    const { provider, exporter } = pipeline({
      maxScanLength: 1000,
      detectors: [
        {
          type: 'BROKEN',
          pattern: /explode/,
          validate: () => {
            throw new Error('detector bug');
          },
        },
      ],
    });
    const span = provider.getTracer('app').startSpan('ok');
    span.setAttributes({ boom: `please explode with card ${CARD}`, big: `${'x'.repeat(1000)} ${CARD}`, fine: 'hello' });
    span.end();
    await provider.forceFlush();

    const attributes = exported(exporter).attributes;
    expect(attributes['boom']).toBe('<REDACTED:scan_failed>');
    expect(attributes['big']).toBe('<REDACTED:too_long>');
    expect(attributes['fine']).toBe('hello');
    expect(attributes['llm_otel.redaction.masked.count']).toBe(2);
    expect(attributes['llm_otel.redaction.masked.types']).toEqual(['SCAN_FAILED', 'TOO_LONG']);
  });

  it('masks a digit run cut at the span attribute length limit', async () => {
    const { provider, exporter } = pipeline({ valueLengthLimits: [40] }, { attributeValueLengthLimit: 40 });
    const span = provider.getTracer('app').startSpan('s');
    const value = `the customer paid with card ${CARD}`;
    span.setAttributes({ note: value, short: 'paid 12 items' });
    span.end();
    await provider.forceFlush();

    const attributes: Attributes = exported(exporter).attributes;
    // The SDK cut the value to 40 characters, leaving `4111 1111 11`, which no card check can confirm.
    expect(value.slice(0, 40)).toBe('the customer paid with card 4111 1111 11');
    expect(attributes['note']).toBe('the customer paid with card <TRUNCATED_NUMBER>');
    expect(attributes['short']).toBe('paid 12 items');
  });

  it('applies per-type operators: HMAC pseudonyms that repeat across spans, and partial masks', async () => {
    const { provider, exporter } = pipeline({
      operators: {
        EMAIL: { kind: 'pseudonym', key: 'test-key-1', keyId: 'k1' },
        CREDIT_CARD: { kind: 'mask' },
      },
    });
    const tracer = provider.getTracer('app');
    tracer.startSpan('first').setAttribute('who', `${EMAIL} paid ${CARD}`).end();
    tracer.startSpan('second').setAttribute('who', 'JANE.DOE@example.com').end();
    await provider.forceFlush();

    const first = exported(exporter, 'first').attributes['who'] as string;
    const second = exported(exporter, 'second').attributes['who'] as string;
    const token = /^<EMAIL:k1:[0-9a-f]{16}>/.exec(first)![0];
    expect(first).toBe(`${token} paid **** **** **** 1111`);
    expect(second).toBe(token);
  });
});

describe('summary attributes', () => {
  it("are written under llm_otel.redaction.*; another library's redaction.* attribute is scanned like any other", async () => {
    const { provider, exporter } = pipeline();
    const span = provider.getTracer('some-library').startSpan('s');
    span.setAttributes({ 'redaction.note': `owner ${EMAIL}`, 'redaction.masked.count': `by ${EMAIL}`, 'llm_otel.redaction.masked.types.extra': EMAIL });
    span.end();
    await provider.forceFlush();

    const attributes = exported(exporter).attributes;
    expect(attributes['redaction.note']).toBe('owner <EMAIL>');
    expect(attributes['redaction.masked.count']).toBe('by <EMAIL>');
    // The allow-list is exact: a longer name under our prefix is scanned too.
    expect(attributes['llm_otel.redaction.masked.types.extra']).toBe('<EMAIL>');
    expect(attributes['llm_otel.redaction.masked.count']).toBe(3);
    expect(attributes['llm_otel.redaction.masked.types']).toEqual(['EMAIL']);
  });
});

describe('names, addresses and dates of birth in a span (issue 10)', () => {
  it('are masked in the name, attributes, events and status, and counted in the summary', async () => {
    const { provider, exporter, recorder } = pipeline();
    const tracer = provider.getTracer('support');
    const span = tracer.startSpan('reply to Dear Mr. Quarrington');
    span.setAttribute(
      'gen_ai.input.messages',
      JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: 'My name is Oswin Threlkeld, I live at 48 Larkspur Avenue, Dayton, OH 45402, DOB 07/14/1979.' }] },
      ]),
    );
    span.addEvent('note', { text: '고객 탁윤겸 님, 배송지: 서울특별시 마포구 월드컵북로 396' });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'no account for customer Ysolde Marchbanks' });
    span.end();
    await provider.forceFlush();
    const [exported] = exporter.getFinishedSpans();
    const seen = JSON.stringify({ name: exported!.name, attributes: exported!.attributes, events: exported!.events, status: exported!.status });
    for (const value of ['Quarrington', 'Oswin', 'Threlkeld', 'Larkspur', '45402', '07/14/1979', '탁윤겸', '월드컵북로', 'Marchbanks'])
      expect(seen).not.toContain(value);
    expect(seen).toContain('<PERSON>');
    expect(exported!.attributes['llm_otel.redaction.masked.types']).toEqual(['DATE_OF_BIRTH', 'PERSON', 'STREET_ADDRESS']);
    // The span the SDK ended is untouched.
    expect(recorder.ended[0]!.name).toBe('reply to Dear Mr. Quarrington');
  });
});
