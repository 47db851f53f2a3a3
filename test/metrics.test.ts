import { afterEach, describe, expect, test } from 'vitest';
import type { LlmInstrumentationConfig } from '@llm-otel/instrumentation';
// The real metrics SDK, as @llm-otel/setup installs it (resolved from that package so the test
// workspace needs no dependency of its own).
import {
  DataPointType,
  MeterProvider,
  MetricReader,
  type HistogramMetricData,
  type MetricData,
  type SumMetricData,
} from '../packages/setup/node_modules/@opentelemetry/sdk-metrics/build/src/index.js';
import { instrumentInMemory, type InstrumentedUnderTest } from './support/in-memory';
import { replayRecordedCall, standInForFile } from './support/recorded-calls';

// Issue 9 item 4: metrics carry no guesses. A stream without usage is estimated on the span; its
// counts must stay out of gen_ai.client.token.usage unless the user opts in, and go to a metric of
// their own. The cost counter is `{USD}` and says whether it was priced from estimates.

class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
  async metrics(): Promise<Map<string, MetricData>> {
    const { resourceMetrics } = await this.collect();
    const byName = new Map<string, MetricData>();
    for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
    return byName;
  }
}

const standIn = standInForFile();
let otel: InstrumentedUnderTest | undefined;
let meterProvider: MeterProvider | undefined;
afterEach(async () => {
  await otel?.close();
  await meterProvider?.shutdown();
  otel = undefined;
  meterProvider = undefined;
});

function instrumented(config: LlmInstrumentationConfig = {}): CollectingReader {
  const reader = new CollectingReader();
  meterProvider = new MeterProvider({ readers: [reader] });
  otel = instrumentInMemory(config);
  otel.instrumentation.setMeterProvider(meterProvider);
  return reader;
}

async function recordedStream(fixture: string): Promise<void> {
  await replayRecordedCall(standIn(), otel!, fixture);
}

function histogramPoints(metric: MetricData | undefined): { attributes: Record<string, unknown>; count: number; sum: number }[] {
  if (!metric) return [];
  expect(metric.dataPointType).toBe(DataPointType.HISTOGRAM);
  return (metric as HistogramMetricData).dataPoints.map((point) => ({ attributes: point.attributes, count: point.value.count, sum: point.value.sum ?? 0 }));
}

describe('token metrics', () => {
  test('an estimated stream records into llm_otel.client.token.usage.estimated only', async () => {
    const reader = instrumented();
    await recordedStream('openai-chat-stream-no-usage.json');
    const [span] = otel!.exporter.getFinishedSpans();
    expect(span.attributes['llm_otel.usage.estimated']).toBe(true);
    const metrics = await reader.metrics();
    // Before: the estimate went into gen_ai.client.token.usage like a provider count.
    expect(histogramPoints(metrics.get('gen_ai.client.token.usage'))).toEqual([]);
    const estimated = histogramPoints(metrics.get('llm_otel.client.token.usage.estimated'));
    expect(estimated.map((point) => [point.attributes['gen_ai.token.type'], point.sum])).toEqual([
      ['input', span.attributes['gen_ai.usage.input_tokens']],
      ['output', span.attributes['gen_ai.usage.output_tokens']],
    ]);
    expect(metrics.get('llm_otel.client.token.usage.estimated')?.descriptor.unit).toBe('{token}');
  });

  test('estimatedTokensInUsageMetric: true also records the estimate in gen_ai.client.token.usage', async () => {
    const reader = instrumented({ estimatedTokensInUsageMetric: true });
    await recordedStream('openai-chat-stream-no-usage.json');
    const metrics = await reader.metrics();
    expect(histogramPoints(metrics.get('gen_ai.client.token.usage'))).toHaveLength(2);
    expect(histogramPoints(metrics.get('llm_otel.client.token.usage.estimated'))).toHaveLength(2);
  });

  test('provider usage goes to gen_ai.client.token.usage and never to the estimated metric', async () => {
    const reader = instrumented();
    await recordedStream('openai-chat-stream-include-usage.json');
    const metrics = await reader.metrics();
    expect(histogramPoints(metrics.get('gen_ai.client.token.usage')).map((point) => point.sum)).toEqual([91, 21]);
    expect(histogramPoints(metrics.get('llm_otel.client.token.usage.estimated'))).toEqual([]);
  });
});

describe('cost metric', () => {
  test('unit {USD}; a point priced from estimates says llm_otel.usage.estimated=true, an exact one false', async () => {
    const reader = instrumented();
    await recordedStream('openai-chat-stream-no-usage.json');
    otel!.exporter.reset();
    await recordedStream('openai-chat-stream-include-usage.json');
    const metrics = await reader.metrics();
    const cost = metrics.get('llm_otel.client.cost') as SumMetricData;
    expect(cost.descriptor.unit).toBe('{USD}');
    const byEstimated = new Map(cost.dataPoints.map((point) => [point.attributes['llm_otel.usage.estimated'], point.value]));
    expect([...byEstimated.keys()].sort()).toEqual([false, true]);
    // gpt-3.5-turbo at $0.50 / $1.50 per 1M tokens: 91 in, 21 out.
    expect(byEstimated.get(false)).toBe(0.000077);
  });
});

describe('time per output chunk', () => {
  test('recorded once per chunk after the first, for streams only', async () => {
    const reader = instrumented();
    await recordedStream('openai-chat-stream-include-usage.json');
    const [span] = otel!.exporter.getFinishedSpans();
    const events = span.attributes['llm_otel.response.event_count'] as number;
    const metrics = await reader.metrics();
    const [point] = histogramPoints(metrics.get('gen_ai.client.operation.time_per_output_chunk'));
    expect(point.count).toBe(events - 1);
    expect(point.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-3.5-turbo',
      'gen_ai.response.model': 'gpt-3.5-turbo-0125',
    });
    expect(metrics.get('gen_ai.client.operation.time_per_output_chunk')?.descriptor.unit).toBe('s');
  });

  test('not recorded for a JSON response', async () => {
    const reader = instrumented();
    await replayRecordedCall(standIn(), otel!, 'openai-chat.json');
    const metrics = await reader.metrics();
    expect(histogramPoints(metrics.get('gen_ai.client.operation.time_per_output_chunk'))).toEqual([]);
    expect(histogramPoints(metrics.get('gen_ai.client.operation.duration'))).toHaveLength(1);
  });
});
