import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { realisticChatRoute, sseEvents, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import type { ReceivedSpan } from '@llm-otel/otlp-receiver';
import { executeTool, invokeAgent, invokeWorkflow, wrapTool } from '@llm-otel/setup';
import { sseBody } from '../../packages/instrumentation/test/support/wire-bodies';
import { loadAnthropic, loadGoogleGenAI, loadOpenAI } from '../support/sdk-versions';
import { telemetryToReceiver, type TelemetryUnderTest } from '../support/telemetry';
import { CACHED_TOOL_USE, cachedToolUseStream } from '../sdk/wire/anthropic-messages';
import { responsesRoute } from '../sdk/wire/openai-responses';

// Issue 12: an agent run read at the OTLP receiver (real SDKs against the provider stand-in, real
// exporter, masking on): agent → workflow → LLM calls → tools, the tool spans carrying the call ids
// the LLM spans' output messages hold, tool-call counts on the LLM spans, and tool arguments masked.

// Built at run time so that no card-number literal is committed.
const CARD = ['4111', '1111', '1111', '1111'].join(' ');
const GEMINI_CALL_ID = 'fc-7c1e2b';

let standIn: ProviderStandIn;

beforeAll(async () => {
  standIn = await startProviderStandIn({ scenario: 'realistic-chat' });
  standIn.script({ method: 'POST', path: '/v1/messages', respond: { headers: { 'content-type': 'text/event-stream' }, chunks: cachedToolUseStream() } });
  standIn.script(
    responsesRoute('/v1/responses', {
      id: 'resp_agent_1',
      object: 'response',
      model: 'gpt-4.1-mini',
      status: 'completed',
      output: [
        { type: 'function_call', id: 'fc_1', call_id: 'call_resp_lookup', name: 'lookup_order', arguments: '{"order_id":"A-1182"}', status: 'completed' },
      ],
      usage: { input_tokens: 30, output_tokens: 12, total_tokens: 42 },
    }),
  );
  const gemini = {
    candidates: [
      {
        content: { role: 'model', parts: [{ functionCall: { id: GEMINI_CALL_ID, name: 'lookup_order', args: { order_id: 'A-1182' } } }] },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 8, totalTokenCount: 28 },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'gem-1',
  };
  standIn.script({
    method: 'POST',
    path: /streamGenerateContent/,
    respond: { headers: { 'content-type': 'text/event-stream' }, chunks: sseEvents(sseBody([[undefined, gemini]])) },
  });
});
afterAll(async () => {
  await standIn.close();
});

function children(spans: ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] {
  return spans.filter((span) => span.parentSpanId === parent.spanId).sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
}

/** Our LLM span of a step: the step itself, or under the SDK's own span (the Anthropic SDK 1.x traces itself). */
function llmSpanOf(spans: ReceivedSpan[], step: ReceivedSpan): ReceivedSpan {
  return step.scope.name === '@llm-otel/instrumentation' ? step : children(spans, step).find((span) => span.scope.name === '@llm-otel/instrumentation')!;
}

function outputCallIds(span: ReceivedSpan): string[] {
  const messages = JSON.parse(String(span.attributes['gen_ai.output.messages'])) as { parts: { type: string; id?: string }[] }[];
  return messages.flatMap((message) => message.parts.filter((part) => part.type === 'tool_call').map((part) => String(part.id)));
}

describe('an agent run at the OTLP receiver', () => {
  let otel: TelemetryUnderTest;
  beforeAll(async () => {
    otel = await telemetryToReceiver({ captureContent: true });
  });
  afterAll(async () => {
    await otel.close();
  });

  test('agent → workflow → LLM calls of three SDKs → tools joined by call id; tool arguments masked', async () => {
    const { OpenAI } = await loadOpenAI();
    const { Anthropic } = await loadAnthropic();
    const { GoogleGenAI } = await loadGoogleGenAI();
    const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
    const anthropic = new Anthropic({ apiKey: 'test', baseURL: standIn.url, maxRetries: 0 });
    const gemini = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: standIn.url } });
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'lookup_order',
          description: 'Look an order up',
          parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
        },
      },
    ];
    const lookupOrder = wrapTool(
      { name: 'lookup_order', description: 'Look an order up', callId: (callId: string) => callId, arguments: (_callId, args) => args },
      async (_callId: string, args: { order_id: string; card?: string }) => ({ order: args.order_id, status: 'refund pending' }),
    );

    const chatCallId = await invokeAgent(
      { name: 'refunds', id: 'agent-refunds', version: '2.1.0', description: 'Handles refund tickets', conversationId: 'ticket-1182' },
      () =>
        invokeWorkflow({ name: 'refund_ticket' }, async () => {
          const decision = await openai.chat.completions.create({
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: 'Refund order A-1182 please' }],
            tools,
          });
          const call = decision.choices[0].message.tool_calls![0];
          if (call.type !== 'function') throw new Error('expected a function call');
          // The application passes the customer's card to the tool: it must arrive masked.
          await lookupOrder(call.id, { ...(JSON.parse(call.function.arguments) as { order_id: string }), card: CARD });

          const streamed = await anthropic.messages.create({
            model: CACHED_TOOL_USE.model,
            max_tokens: 256,
            stream: true,
            messages: [{ role: 'user', content: 'Status of A-1234?' }],
            tools: [{ name: 'get_order_status', input_schema: { type: 'object' } }],
          });
          for await (const _event of streamed) {
            /* read to the end */
          }
          await executeTool({ name: 'get_order_status', callId: CACHED_TOOL_USE.toolUseId, arguments: { order_id: 'A-1234' } }, async () => 'shipped');

          const response = await openai.responses.create({
            model: 'gpt-4.1-mini',
            input: 'Refund A-1182',
            tools: [{ type: 'function', name: 'lookup_order', parameters: {}, strict: false }],
          });
          expect(response.output[0]).toMatchObject({ call_id: 'call_resp_lookup' });

          for await (const _chunk of await gemini.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Refund A-1182' })) {
            /* read */
          }
          return call.id;
        }),
    );

    await otel.telemetry.forceFlush();
    const spans = await otel.receiver.waitFor((all) => all.filter((span) => span.attributes['gen_ai.operation.name'] !== undefined).length >= 8, 10_000);
    const agent = spans.find((span) => span.name === 'invoke_agent refunds')!;
    expect(agent.parentSpanId).toBeFalsy();
    expect(agent.kind).toBe(1); // INTERNAL, OTLP numbering (SPAN_KIND_INTERNAL = 1)
    expect(agent.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'refunds',
      'gen_ai.agent.id': 'agent-refunds',
      'gen_ai.agent.version': '2.1.0',
      'gen_ai.agent.description': 'Handles refund tickets',
      'gen_ai.conversation.id': 'ticket-1182',
    });
    expect(agent.scope.name).toBe('@llm-otel/instrumentation');
    const [workflow] = children(spans, agent);
    expect(workflow.name).toBe('invoke_workflow refund_ticket');
    expect(workflow.attributes['gen_ai.workflow.name']).toBe('refund_ticket');

    const steps = children(spans, workflow).map((step) => llmSpanOf(spans, step));
    expect(steps.map((span) => span.name)).toEqual([
      'chat gpt-4o-mini',
      'execute_tool lookup_order',
      `chat ${CACHED_TOOL_USE.model}`,
      'execute_tool get_order_status',
      'chat gpt-4.1-mini',
      'generate_content gemini-2.5-flash',
    ]);
    const [chat, tool, claude, claudeTool, responses, geminiCall] = steps;
    for (const llm of [chat, claude, responses, geminiCall]) {
      expect(llm.attributes).toMatchObject({
        'gen_ai.agent.name': 'refunds',
        'gen_ai.agent.id': 'agent-refunds',
        'gen_ai.conversation.id': 'ticket-1182',
        'llm_otel.response.tool_call.count': 1,
      });
    }
    // The join a backend makes: the tool span's call id is the one the model returned.
    expect(outputCallIds(chat)).toEqual([chatCallId]);
    expect(tool.attributes['gen_ai.tool.call.id']).toBe(chatCallId);
    expect(outputCallIds(claude)).toEqual([CACHED_TOOL_USE.toolUseId]);
    expect(claudeTool.attributes['gen_ai.tool.call.id']).toBe(CACHED_TOOL_USE.toolUseId);
    expect(outputCallIds(responses)).toEqual(['call_resp_lookup']);
    expect(outputCallIds(geminiCall)).toEqual([GEMINI_CALL_ID]);

    expect(tool.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookup_order',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.description': 'Look an order up',
    });
    const args = String(tool.attributes['gen_ai.tool.call.arguments']);
    expect(args).toContain('A-1182');
    expect(args).not.toContain(CARD);
    expect(args).not.toContain(CARD.replaceAll(' ', ''));
    expect(args).toMatch(/<CREDIT_CARD>|<PAYMENT_CARD>|<CARD[^>]*>/);
    expect(String(tool.attributes['gen_ai.tool.call.result'])).toContain('refund pending');
    // Agent and tool spans are not LLM calls: no usage, no cost, no attempt attributes.
    for (const span of [agent, workflow, tool, claudeTool]) {
      expect(Object.keys(span.attributes).filter((key) => key.startsWith('gen_ai.usage.') || key.startsWith('llm_otel.superseded.'))).toEqual([]);
    }
  });
});

describe('a streaming tool', () => {
  test('LLM calls an async generator tool makes between its yields are children of its span, and the caller is not', async () => {
    const otel = await telemetryToReceiver({ captureContent: false });
    try {
      const { OpenAI } = await loadOpenAI();
      const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
      const summarise = wrapTool({ name: 'summarise_pages' }, async function* (pages: string[]) {
        for (const page of pages) {
          const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Summarise: ${page}` }] });
          yield completion.choices[0].message.content;
        }
      });
      await invokeAgent({ name: 'reader' }, async () => {
        const summaries: unknown[] = [];
        for await (const summary of summarise(['page one', 'page two'])) summaries.push(summary);
        expect(summaries).toHaveLength(2);
        // After the tool: the caller's own call is the agent's child, not the tool's.
        await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Done?' }] });
      });
      await otel.telemetry.forceFlush();
      const spans = await otel.receiver.waitFor((all) => all.length >= 5, 10_000);
      const agent = spans.find((span) => span.name === 'invoke_agent reader')!;
      const tool = spans.find((span) => span.name === 'execute_tool summarise_pages')!;
      const chats = children(spans, tool);
      expect(tool.parentSpanId).toBe(agent.spanId);
      expect(chats.map((span) => span.name)).toEqual(['chat gpt-4o-mini', 'chat gpt-4o-mini']);
      expect(children(spans, agent).map((span) => span.name)).toEqual(['execute_tool summarise_pages', 'chat gpt-4o-mini']);
      // The tool span lasts until its last step: it ends after its LLM calls.
      expect(tool.endTimeUnixNano >= chats[1].startTimeUnixNano).toBe(true);
    } finally {
      await otel.close();
    }
  });
});

describe('a run cut short by shutdown', () => {
  test('agent and tool spans still open end at shutdown, marked incomplete, so the LLM span inside keeps its parents', async () => {
    const otel = await telemetryToReceiver({ captureContent: false });
    const { OpenAI } = await loadOpenAI();
    const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
    const steps = executeTool({ name: 'long_job' }, async function* () {
      yield await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Step one' }] });
      yield 'never reached';
    });
    let keepRunning: () => void = () => undefined;
    const run = invokeAgent({ name: 'cut_short' }, async () => {
      await steps.next();
      // The agent waits for something that does not come before the process shuts down.
      await new Promise<void>((resolve) => (keepRunning = resolve));
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await otel.close(); // telemetry.shutdown(), then the receiver closes: read what it got first
    keepRunning();
    await run;
    const spans = otel.receiver.spans;
    const agent = spans.find((span) => span.name === 'invoke_agent cut_short');
    const tool = spans.find((span) => span.name === 'execute_tool long_job');
    const chat = spans.find((span) => span.name === 'chat gpt-4o-mini');
    expect(agent?.attributes['llm_otel.response.incomplete']).toBe(true);
    expect(tool?.attributes['llm_otel.response.incomplete']).toBe(true);
    expect(chat?.parentSpanId).toBe(tool?.spanId);
  });
});

describe('without content capture', () => {
  test('the LLM span still counts the tool calls; the tool span has its call id but no arguments or result', async () => {
    const otel = await telemetryToReceiver({ captureContent: false });
    try {
      const { OpenAI } = await loadOpenAI();
      const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
      const tools = [
        { type: 'function' as const, function: { name: 'lookup_order', parameters: { type: 'object', properties: { order_id: { type: 'string' } } } } },
      ];
      await invokeAgent({ name: 'quiet' }, async () => {
        const stream = await openai.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'Where is A-77?' }],
          tools,
          stream: true,
          stream_options: { include_usage: true },
        });
        let callId = '';
        for await (const chunk of stream) callId ||= chunk.choices[0]?.delta?.tool_calls?.[0]?.id ?? '';
        await executeTool({ name: 'lookup_order', callId, arguments: { order_id: 'A-77' } }, () => ({ status: 'shipped' }));
      });
      await otel.telemetry.forceFlush();
      const spans = await otel.receiver.waitFor((all) => all.length >= 3, 10_000);
      const chat = spans.find((span) => span.name === 'chat gpt-4o-mini')!;
      const tool = spans.find((span) => span.name === 'execute_tool lookup_order')!;
      expect(chat.attributes['llm_otel.response.tool_call.count']).toBe(1);
      expect(chat.attributes['gen_ai.output.messages']).toBeUndefined();
      expect(tool.attributes['gen_ai.tool.call.id']).toMatch(/^call_/);
      expect(tool.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
      expect(tool.attributes['gen_ai.tool.call.result']).toBeUndefined();
    } finally {
      await otel.close();
    }
  });
});
