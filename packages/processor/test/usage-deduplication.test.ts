import { context, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { expect, test } from 'vitest';
import { UsageDeduplicatingSpanProcessor } from '../src/usage-deduplication';

test('usage on ancestors of an llm-otel span is renamed, so every token is counted once', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new UsageDeduplicatingSpanProcessor(new SimpleSpanProcessor(exporter))] });
  const sdk = provider.getTracer('ai');
  const ours = provider.getTracer('@llm-otel/instrumentation');

  const run = sdk.startSpan('ai.generateText');
  const step = sdk.startSpan('ai.generateText.doGenerate', {}, trace.setSpan(context.active(), run));
  const attempt = ours.startSpan('chat gpt-4o-mini', {}, trace.setSpan(context.active(), step));
  attempt.setAttributes({ 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5 });
  // SDKs end their span first, our attempt's span right after (see llm-call.ts).
  step.setAttributes({ 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5, 'ai.model.id': 'gpt-4o-mini' });
  step.end();
  attempt.end();
  run.setAttributes({ 'gen_ai.usage.input_tokens': 10 });
  run.end();
  const unrelated = sdk.startSpan('ai.embed');
  unrelated.setAttribute('gen_ai.usage.input_tokens', 3);
  unrelated.end();

  const byName = Object.fromEntries(exporter.getFinishedSpans().map((span) => [span.name, span.attributes]));
  expect(byName['chat gpt-4o-mini']).toEqual({ 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5 });
  expect(byName['ai.generateText.doGenerate']).toEqual({
    'llm_otel.superseded.gen_ai.usage.input_tokens': 10,
    'llm_otel.superseded.gen_ai.usage.output_tokens': 5,
    'ai.model.id': 'gpt-4o-mini',
  });
  expect(byName['ai.generateText']).toEqual({ 'llm_otel.superseded.gen_ai.usage.input_tokens': 10 });
  // Spans with no llm-otel descendant keep their usage: nothing else counts it.
  expect(byName['ai.embed']).toEqual({ 'gen_ai.usage.input_tokens': 3 });
  const total = exporter.getFinishedSpans().reduce((sum, span) => sum + Number(span.attributes['gen_ai.usage.input_tokens'] ?? 0), 0);
  expect(total).toBe(13);
});

// Issue 12: agent, workflow and tool spans come from our tracer too, but are not LLM call attempts.
test('an agent or tool span of ours passes coverage up, and covers nothing by itself', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new UsageDeduplicatingSpanProcessor(new SimpleSpanProcessor(exporter))] });
  const framework = provider.getTracer('ai');
  const ours = provider.getTracer('@llm-otel/instrumentation');
  const under = (span: ReturnType<typeof ours.startSpan>) => trace.setSpan(context.active(), span);

  // A framework span with usage, around our agent span, around our LLM attempt: counted once.
  const run = framework.startSpan('ai.generateText');
  const agent = ours.startSpan('invoke_agent refunds', { attributes: { 'gen_ai.operation.name': 'invoke_agent' } }, under(run));
  const attempt = ours.startSpan('chat gpt-4o-mini', { attributes: { 'gen_ai.operation.name': 'chat' } }, under(agent));
  attempt.setAttribute('gen_ai.usage.input_tokens', 10);
  attempt.end();
  agent.end();
  run.setAttribute('gen_ai.usage.input_tokens', 10);
  run.end();

  // A framework span with usage around our tool span alone: nothing else counts its tokens.
  const step = framework.startSpan('ai.toolCall');
  const tool = ours.startSpan('execute_tool lookup', { attributes: { 'gen_ai.operation.name': 'execute_tool' } }, under(step));
  tool.end();
  step.setAttribute('gen_ai.usage.input_tokens', 4);
  step.end();

  // An MCP span of the hooks (ours, no GenAI operation) around nothing: not an attempt either.
  const session = framework.startSpan('ai.mcpSession');
  ours.startSpan('initialize', { attributes: { 'mcp.method.name': 'initialize' } }, under(session)).end();
  session.setAttribute('gen_ai.usage.input_tokens', 2);
  session.end();

  const byName = Object.fromEntries(exporter.getFinishedSpans().map((span) => [span.name, span.attributes]));
  expect(byName['ai.mcpSession']).toEqual({ 'gen_ai.usage.input_tokens': 2 });
  expect(byName['ai.generateText']).toEqual({ 'llm_otel.superseded.gen_ai.usage.input_tokens': 10 });
  expect(byName['ai.toolCall']).toEqual({ 'gen_ai.usage.input_tokens': 4 });
  expect(byName['invoke_agent refunds']).toEqual({ 'gen_ai.operation.name': 'invoke_agent' });
});

test('a model-call gen_ai.operation.name on an ancestor (LangSmith OTel mode) is superseded; agent and tool operations stay', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new UsageDeduplicatingSpanProcessor(new SimpleSpanProcessor(exporter))] });
  const app = provider.getTracer('app');
  const ours = provider.getTracer('@llm-otel/instrumentation');
  const agent = app.startSpan('invoke_agent refunds', { attributes: { 'gen_ai.operation.name': 'invoke_agent' } });
  const run = app.startSpan(
    'ChatOpenAI',
    { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini' } },
    trace.setSpan(context.active(), agent),
  );
  const attempt = ours.startSpan('chat gpt-4o-mini', { attributes: { 'gen_ai.operation.name': 'chat' } }, trace.setSpan(context.active(), run));
  attempt.end();
  run.end();
  agent.end();
  const lone = app.startSpan('chat elsewhere', { attributes: { 'gen_ai.operation.name': 'chat' } });
  lone.end();

  const byName = Object.fromEntries(exporter.getFinishedSpans().map((span) => [span.name, span.attributes]));
  expect(byName['ChatOpenAI']).toEqual({ 'llm_otel.superseded.gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini' });
  expect(byName['invoke_agent refunds']).toEqual({ 'gen_ai.operation.name': 'invoke_agent' });
  expect(byName['chat gpt-4o-mini']).toEqual({ 'gen_ai.operation.name': 'chat' });
  // Not an ancestor of ours: nothing else records that call.
  expect(byName['chat elsewhere']).toEqual({ 'gen_ai.operation.name': 'chat' });
});
