import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { exportSpans, recordSampleTrace } from './sample-spans';
import { expectSampleTraceDecoded } from './expect-sample-trace';

/** The exporter's CompressionAlgorithm.GZIP (the enum lives in a package this one does not depend on). */
const GZIP = 'gzip' as NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>['compression'];

/** A hand-written OTLP/JSON export: hex ids, int64 as strings, enums as integers, camelCase keys. */
const JSON_EXPORT = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'json-client' } }] },
      scopeSpans: [
        {
          scope: { name: 'json-scope', version: '0.0.1' },
          schemaUrl: 'https://opentelemetry.io/schemas/1.41.0',
          spans: [
            {
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
              parentSpanId: 'eee19b7ec3c1b173',
              name: 'chat claude',
              kind: 3,
              startTimeUnixNano: '1544712660000000000',
              endTimeUnixNano: '1544712661000000000',
              attributes: [
                { key: 'gen_ai.usage.input_tokens', value: { intValue: '9007199254740991' } },
                { key: 'gen_ai.usage.output_tokens', value: { intValue: 12 } },
                { key: 'gen_ai.request.temperature', value: { doubleValue: 0.25 } },
                { key: 'gen_ai.request.stream', value: { boolValue: false } },
                {
                  key: 'gen_ai.response.finish_reasons',
                  value: { arrayValue: { values: [{ stringValue: 'end_turn' }] } },
                },
                {
                  key: 'nested',
                  value: { kvlistValue: { values: [{ key: 'traceId', value: { stringValue: 'not-an-id' } }] } },
                },
                { key: 'raw', value: { bytesValue: Buffer.from('hi').toString('base64') } },
                { key: 'empty', value: {} },
              ],
              events: [{ timeUnixNano: '1544712660500000000', name: 'first chunk', attributes: [] }],
              links: [{ traceId: '5b8efff798038103d269b633813fc60d', spanId: '00f067aa0ba902b7', attributes: [] }],
              status: { code: 2, message: 'overloaded' },
            },
          ],
        },
      ],
    },
  ],
};

describe('HTTP transport', () => {
  let receiver: OtlpReceiver;
  let exporter: OTLPTraceExporter | undefined;

  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await exporter?.shutdown();
    exporter = undefined;
    await receiver.close();
  });

  it('decodes http/protobuf from the real exporter-trace-otlp-proto', async () => {
    const sample = await recordSampleTrace();
    exporter = new OTLPTraceExporter({ url: receiver.httpUrl });
    expect((await exportSpans(exporter, sample.spans)).code).toBe(0);
    expectSampleTraceDecoded(receiver.spans, sample, 'http/protobuf');
    expect(receiver.exportRequests).toBe(1);
  });

  it('decodes gzip-encoded http/protobuf bodies', async () => {
    const sample = await recordSampleTrace();
    exporter = new OTLPTraceExporter({ url: receiver.httpUrl, compression: GZIP });
    expect((await exportSpans(exporter, sample.spans)).code).toBe(0);
    expectSampleTraceDecoded(receiver.spans, sample, 'http/protobuf');
  });

  it('decodes OTLP/JSON posted with fetch (hex ids, string int64), plain and gzip', async () => {
    const response = await fetch(receiver.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(JSON_EXPORT),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({});

    const [span] = receiver.spans;
    expect(span).toEqual({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      name: 'chat claude',
      kind: 3,
      startTimeUnixNano: 1544712660000000000n,
      endTimeUnixNano: 1544712661000000000n,
      attributes: {
        'gen_ai.usage.input_tokens': 9007199254740991,
        'gen_ai.usage.output_tokens': 12,
        'gen_ai.request.temperature': 0.25,
        'gen_ai.request.stream': false,
        'gen_ai.response.finish_reasons': ['end_turn'],
        nested: { traceId: 'not-an-id' },
        raw: Buffer.from('hi').toString('base64'),
        empty: null,
      },
      events: [{ name: 'first chunk', timeUnixNano: 1544712660500000000n, attributes: {} }],
      links: [{ traceId: '5b8efff798038103d269b633813fc60d', spanId: '00f067aa0ba902b7', attributes: {} }],
      status: { code: 2, message: 'overloaded' },
      resource: { 'service.name': 'json-client' },
      scope: { name: 'json-scope', version: '0.0.1', schemaUrl: 'https://opentelemetry.io/schemas/1.41.0' },
      transport: 'http/json',
    });

    const gzipped = await fetch(receiver.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify(JSON_EXPORT)),
    });
    expect(gzipped.status).toBe(200);
    expect(receiver.spans).toHaveLength(2);
    expect(receiver.spans[1]).toEqual(span);
    expect(receiver.exportRequests).toBe(2);
  });

  it('answers malformed bodies with 400 and a google.rpc.Status, and stores nothing', async () => {
    const badJson = await fetch(receiver.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceSpans": [',
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ code: 3, message: expect.any(String) });

    const badId = await fetch(receiver.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'xyz' }] }] }] }),
    });
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as { message: string }).message).toContain('traceId is not hex');

    const badProtobuf = await fetch(receiver.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]),
    });
    expect(badProtobuf.status).toBe(400);
    expect(badProtobuf.headers.get('content-type')).toBe('application/x-protobuf');

    const wrongType = await fetch(receiver.httpUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(wrongType.status).toBe(415);
    expect((await fetch(receiver.httpUrl)).status).toBe(405);
    expect((await fetch(receiver.httpUrl.replace('/v1/traces', '/v1/profiles'), { method: 'POST' })).status).toBe(404);

    expect(receiver.spans).toHaveLength(0);
    expect(receiver.exportRequests).toBe(0);
  });
});
