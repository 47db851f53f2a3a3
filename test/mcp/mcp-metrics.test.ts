import { afterAll, beforeAll, expect, test } from 'vitest';
// The real metrics SDK, as @llm-otel/setup installs it (resolved from that package, as test/metrics.test.ts does).
import { MeterProvider, MetricReader, type HistogramMetricData } from '../../packages/setup/node_modules/@opentelemetry/sdk-metrics/build/src/index.js';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';
import { startRecordingServer, type RecordingServer } from './support/recording-server';

class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

let server: RecordingServer;
let otel: InstrumentedUnderTest;
let meterProvider: MeterProvider;
const reader = new CollectingReader();

beforeAll(async () => {
  server = await startRecordingServer();
  meterProvider = new MeterProvider({ readers: [reader] });
  otel = instrumentInMemory();
  otel.instrumentation.setMeterProvider(meterProvider);
});
afterAll(async () => {
  await otel.close();
  await meterProvider.shutdown();
  await server.close();
});

test('mcp.client.operation.duration: one point per request or notification, with the semconv buckets and no ids', async () => {
  const headers = { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18', 'mcp-session-id': 's-1' };
  const post = (body: string) => fetch(server.url, { method: 'POST', headers, body }).then((response) => response.text());
  await post('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"lookup_order"}}');
  await post('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"lookup_order"}}');
  await post('{"jsonrpc":"2.0","method":"notifications/initialized"}');
  await otel.spans(3);
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((m) => m.descriptor.name === 'mcp.client.operation.duration') as HistogramMetricData;
  expect(metric.descriptor.unit).toBe('s');
  const points = metric.dataPoints.map((point) => ({ attributes: point.attributes, count: point.value.count }));
  expect(points).toHaveLength(2);
  const tool = points.find((point) => point.attributes['mcp.method.name'] === 'tools/call')!;
  expect(tool.count).toBe(2);
  expect(tool.attributes).toMatchObject({
    'gen_ai.tool.name': 'lookup_order',
    'gen_ai.operation.name': 'execute_tool',
    'mcp.protocol.version': '2025-06-18',
    'server.address': '127.0.0.1',
  });
  // High-cardinality values stay on spans.
  expect(tool.attributes['jsonrpc.request.id']).toBeUndefined();
  expect(tool.attributes['mcp.session.id']).toBeUndefined();
  expect(metric.dataPoints[0].value.buckets.boundaries).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300]);
});
