import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { context, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { formatTraceTree, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@llm-otel/otlp-receiver';

const T0 = 1_760_000_000_000; // ms since the epoch; fixed so durations are exact

/** Exports an agent trace with fixed timestamps through the real gRPC exporter. */
async function exportAgentTrace(receiver: OtlpReceiver): Promise<ReceivedSpan[]> {
  const exporter = new OTLPTraceExporter({ url: receiver.grpcUrl });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-agent' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('tree-test');
  const root = tracer.startSpan('agent.run', { startTime: T0 });
  const parent = trace.setSpan(context.active(), root);
  const child = (name: string, startMs: number, endMs: number, attributes: Attributes, error?: string) => {
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, startTime: T0 + startMs, attributes }, parent);
    if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
    span.end(T0 + endMs);
  };
  child('chat gpt-4o-mini', 10, 422.25, {
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.usage.input_tokens': 82,
    'gen_ai.usage.output_tokens': 17,
    'gen_ai.usage.cost': 0.0000225,
    'llm_otel.context_window.utilization': 0.0006,
  });
  child('lookup_order', 430, 431, {});
  child('chat gpt-4o-mini', 440, 900, {
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.usage.input_tokens': 140,
    'gen_ai.usage.output_tokens': 45,
    'gen_ai.response.time_to_first_chunk': 0.085,
    'gen_ai.usage.cost': 0.000048,
    'llm_otel.context_window.utilization': 0.1171,
  });
  child('chat gpt-4o-mini', 910, 1200, {
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.usage.input_tokens': 150,
    'gen_ai.usage.output_tokens': 40,
    'llm_otel.usage.estimated': true,
    'gen_ai.response.time_to_first_chunk': 0.0905,
  });
  child('chat gpt-4o', 1210, 1250, { 'gen_ai.request.model': 'gpt-4o', 'error.type': '429' }, 'Rate limit reached');
  root.end(T0 + 1300);
  await provider.shutdown();
  return receiver.waitForSpans(6);
}

describe('formatTraceTree', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    vi.stubEnv('NO_COLOR', '1');
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await receiver.close();
  });

  it('prints one aligned line per span, children under their parent, and the totals', async () => {
    const spans = await exportAgentTrace(receiver);
    // Arrival order is child-first; the tree orders by parent and start time.
    expect(spans[0].name).not.toBe('agent.run');
    const lines = formatTraceTree(spans).split('\n');
    expect(lines[0]).toBe(`trace ${spans[0].traceId}  (support-agent)`);
    expect(lines.slice(1)).toEqual([
      'span                 model                                 tokens in→out       time     ttfc         cost    ctx',
      'agent.run            Σ 4 calls                                Σ ~372→102  1300.0 ms           Σ $0.000071',
      '├─ chat gpt-4o-mini  gpt-4o-mini → gpt-4o-mini-2024-07-18          82→17   412.3 ms             $0.000023  <0.1%',
      '├─ lookup_order                                                              1.0 ms',
      '├─ chat gpt-4o-mini  gpt-4o-mini → gpt-4o-mini-2024-07-18         140→45   460.0 ms  85.0 ms    $0.000048    12%',
      '├─ chat gpt-4o-mini  gpt-4o-mini                                 ~150→40   290.0 ms  90.5 ms',
      '└─ chat gpt-4o       gpt-4o                                                 40.0 ms                               ERROR 429',
      'total: 1 trace · 6 spans · 4 LLM calls · tokens 372 in → 102 out (~ 1 estimated) · cost $0.000071 · 1 error',
    ]);
    // No colour codes when NO_COLOR is set or stdout is not a terminal.
    expect(lines.join('\n')).not.toContain('\u001b[');
  });

  it('shows each span once when a retried export delivered it twice, and marks orphans', () => {
    const [first] = receiver.spans.filter((span) => span.name === 'lookup_order');
    const orphan: ReceivedSpan = { ...first, spanId: 'ffffffffffffffff', parentSpanId: '0000000000000001', name: 'late' };
    const text = formatTraceTree([...receiver.spans, first, orphan]);
    expect(text.match(/lookup_order/g)).toHaveLength(1);
    expect(text).toContain('late (parent not received)');
    expect(text).toContain('7 spans');
    expect(formatTraceTree([])).toBe('no spans received');
  });

  it('counts an SDK wrapper span and the attempt span under it as one LLM call; agent, tool and MCP spans are inner nodes with Σ; tool calls asked for and the tool call id show', async () => {
    receiver.clear();
    const exporter = new OTLPTraceExporter({ url: receiver.grpcUrl });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'agent' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('tree-test');
    const at = (ms: number) => T0 + ms;
    const agent = tracer.startSpan('invoke_agent support', {
      startTime: at(0),
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' },
    });
    const inAgent = trace.setSpan(context.active(), agent);
    // The AI SDK's own span names the model too; the processor renamed its usage (superseded).
    const wrapper = tracer.startSpan(
      'ai.generateText',
      { startTime: at(1), attributes: { 'gen_ai.request.model': 'gpt-4o-mini', 'llm_otel.superseded.gen_ai.usage.input_tokens': 82 } },
      inAgent,
    );
    const attempt = tracer.startSpan(
      'chat gpt-4o-mini',
      {
        kind: SpanKind.CLIENT,
        startTime: at(2),
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.usage.input_tokens': 82,
          'gen_ai.usage.output_tokens': 17,
          'gen_ai.usage.cost': 0.00002,
          'llm_otel.hook': 'fetch',
          'llm_otel.response.tool_call.count': 1,
        },
      },
      trace.setSpan(inAgent, wrapper),
    );
    attempt.end(at(300));
    wrapper.end(at(301));
    const tool = tracer.startSpan(
      'execute_tool lookup_order',
      { startTime: at(310), attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.call.id': 'call_7' } },
      inAgent,
    );
    tracer.startSpan('tools/call lookup_order', { kind: SpanKind.CLIENT, startTime: at(311) }, trace.setSpan(inAgent, tool)).end(at(320));
    tool.end(at(321));
    agent.end(at(330));
    await provider.shutdown();
    const spans = await receiver.waitForSpans(5);
    const lines = formatTraceTree(spans).split('\n');
    expect(lines.slice(2)).toEqual([
      'invoke_agent support           Σ 1 call                         Σ 82→17  330.0 ms  Σ $0.000020',
      '├─ ai.generateText             Σ 1 call                         Σ 82→17  300.0 ms  Σ $0.000020',
      '│  └─ chat gpt-4o-mini         gpt-4o-mini ⇢ 1 tool call          82→17  298.0 ms    $0.000020',
      '└─ execute_tool lookup_order   call_7                                     11.0 ms',
      '   └─ tools/call lookup_order                                              9.0 ms',
      'total: 1 trace · 5 spans · 1 LLM call · tokens 82 in → 17 out · cost $0.000020',
    ]);
  });
});
