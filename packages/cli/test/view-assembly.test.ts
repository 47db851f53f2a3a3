import { describe, expect, test } from 'vitest';
import { formatTraceTree, type ReceivedSpan } from '@llm-otel/otlp-receiver';
import { MAX_OPEN_TRACES, MAX_SPANS_PER_TRACE, TraceAssembler, type AssembledTrace } from '../src/view/trace-assembler';
import { traceMatches } from '../src/view/trace-filter';
import { parseDuration } from '../src/view/view-options';

function span(traceId: string, spanId: string, fields: Partial<ReceivedSpan> = {}): ReceivedSpan {
  return {
    traceId,
    spanId,
    name: 'span',
    kind: 1,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 1_000_000n,
    attributes: {},
    events: [],
    links: [],
    status: { code: 0 },
    resource: { 'service.name': 'svc' },
    scope: { name: 'test' },
    transport: 'grpc',
    ...fields,
  };
}

function assembler(settleMs = 100, waitMs = 1000) {
  let now = 0;
  const out: AssembledTrace[] = [];
  const assembly = new TraceAssembler(
    (trace) => out.push(trace),
    settleMs,
    waitMs,
    () => now,
  );
  return { assembly, out, advance: (ms: number) => ((now += ms), assembly.tick()) };
}

describe('TraceAssembler', () => {
  test('a trace is handed on once its root arrived and nothing came for settleMs; a rootless one after waitMs', () => {
    const { assembly, out, advance } = assembler();
    assembly.add([span('a', '2', { parentSpanId: '1' })]);
    assembly.add([span('b', '9', { parentSpanId: 'remote' })]);
    advance(90);
    assembly.add([span('a', '1')]);
    advance(90);
    expect(out).toEqual([]);
    advance(20);
    expect(out.map((trace) => [trace.traceId, trace.spans.length])).toEqual([['a', 2]]);
    advance(900);
    expect(out.map((trace) => trace.traceId)).toEqual(['a', 'b']);
    // A late span of a trace already shown is shown as its continuation; a duplicate is dropped.
    assembly.add([span('a', '3', { parentSpanId: '1' }), span('a', '3', { parentSpanId: '1' })]);
    advance(1000);
    expect(out[2]).toMatchObject({ traceId: 'a', continued: true, spans: [expect.objectContaining({ spanId: '3' })] });
  });

  test('memory is bounded: at most MAX_OPEN_TRACES open (the oldest is shown early) and MAX_SPANS_PER_TRACE per trace', () => {
    const { assembly, out } = assembler();
    for (let index = 0; index <= MAX_OPEN_TRACES; index += 1) assembly.add([span(`t${index}`, '1', { parentSpanId: 'x' })]);
    expect(assembly.openTraces).toBe(MAX_OPEN_TRACES);
    expect(out.map((trace) => trace.traceId)).toEqual(['t0']);
    const many = Array.from({ length: MAX_SPANS_PER_TRACE + 10 }, (_, index) => span('big', String(index)));
    assembly.add(many);
    assembly.flushAll();
    const big = out.find((trace) => trace.traceId === 'big')!;
    expect(big.spans).toHaveLength(MAX_SPANS_PER_TRACE);
    expect(big.droppedSpans).toBe(10);
  });
});

describe('hostile trace shapes', () => {
  test('a chain as deep as a trace may hold, and a parent cycle, print without overflowing or looping', () => {
    const chain = Array.from({ length: MAX_SPANS_PER_TRACE }, (_, index) => span('deep', `s${index}`, index === 0 ? {} : { parentSpanId: `s${index - 1}` }));
    const tree = formatTraceTree(chain, { colours: false });
    expect(tree.split('\n')).toHaveLength(MAX_SPANS_PER_TRACE + 3);
    const cycle = [span('loop', 'a', { parentSpanId: 'b' }), span('loop', 'b', { parentSpanId: 'a' }), span('loop', 'c', { parentSpanId: 'c' })];
    expect(formatTraceTree(cycle, { colours: false })).toContain('total: 1 trace · 3 spans');
  });
});

describe('filters', () => {
  const none = { services: [], models: [], errorsOnly: false };
  const call = span('t', '2', { parentSpanId: '1', attributes: { 'gen_ai.request.model': 'gpt-4o-mini', 'llm_otel.hook': 'fetch' } });
  const root = span('t', '1', { endTimeUnixNano: 2_500_000_000n });

  test('each filter given must hold', () => {
    expect(traceMatches([root, call], none)).toBe(true);
    expect(traceMatches([root, call], { ...none, services: ['other'] })).toBe(false);
    expect(traceMatches([root, call], { ...none, services: ['other', 'svc'] })).toBe(true);
    expect(traceMatches([root, call], { ...none, models: ['GPT-4O'] })).toBe(true);
    expect(traceMatches([root, call], { ...none, models: ['claude'] })).toBe(false);
    expect(traceMatches([root, call], { ...none, errorsOnly: true })).toBe(false);
    expect(traceMatches([root, { ...call, status: { code: 2 } }], { ...none, errorsOnly: true })).toBe(true);
    expect(traceMatches([root, call], { ...none, slowerThanMs: parseDuration('2s', '--slower-than') })).toBe(true);
    expect(traceMatches([root, call], { ...none, slowerThanMs: parseDuration('2.5s', '--slower-than') })).toBe(false);
  });

  test('durations: 2s, 1.5s, 500ms, 500, 1m', () => {
    expect(['2s', '1.5s', '500ms', '500', '1m'].map((text) => parseDuration(text, '--x'))).toEqual([2000, 1500, 500, 500, 60_000]);
    expect(() => parseDuration('2 hours', '--slower-than')).toThrow('--slower-than: not a duration');
  });
});
