// A small support agent, traced by llm-otel. Everything runs on this machine: an embedded OTLP
// receiver stands in for the tracing backend, and a provider stand-in answers the real `openai` SDK
// like the OpenAI API would (tool calls, streaming, usage). Run: pnpm --filter @llm-otel/agent-demo start
import { SpanStatusCode, trace } from '@opentelemetry/api';
import OpenAI from 'openai';
import { formatTraceTree, startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { realisticChatRoute, startProviderStandIn } from '@llm-otel/provider-stand-in';
import { setupTelemetry } from '@llm-otel/setup';

const MODEL = 'gpt-4o-mini';
const TICKET_NOTE_PROMPT = 'Write a one-line note for the support ticket.';
const LLM_CALLS = 3;

const receiver = await startOtlpReceiver();
const provider = await startProviderStandIn({ scenario: 'realistic-chat' });
// The stand-in answers like the OpenAI API; only the ticket note gets a scripted text.
provider.script(
  realisticChatRoute({
    answer: (request) =>
      request.messages[0]?.text === TICKET_NOTE_PROMPT
        ? { content: 'Late delivery of A-1042: shipped with DHL (JD014600003828), arrives tomorrow before noon; customer informed.' }
        : undefined,
  }),
);

const telemetry = setupTelemetry({
  serviceName: 'support-agent',
  endpoint: receiver.grpcUrl,
  protocol: 'grpc',
  captureContent: false,
  // The stand-in plays OpenAI on a local address; this names the provider on the spans.
  providers: [{ baseUrl: `${provider.url}/v1`, name: 'openai' }],
});

const client = new OpenAI({ baseURL: `${provider.url}/v1`, apiKey: 'demo' });
const tracer = trace.getTracer('support-agent');

// --- the application: a support agent with one tool ---------------------------------------------

const ORDERS = {
  'A-1042': { status: 'shipped', carrier: 'DHL', tracking: 'JD014600003828', eta: 'tomorrow before noon' },
};

const tools = [
  {
    type: 'function',
    function: {
      name: 'lookup_order',
      description: 'Look up the shipping status of an order by its id.',
      parameters: {
        type: 'object',
        properties: { order_id: { type: 'string', description: 'The order id, e.g. A-1042' } },
        required: ['order_id'],
      },
    },
  },
];

function lookupOrder({ order_id: orderId }) {
  return ORDERS[orderId] ?? { status: 'not found' };
}

/** Reads a streamed answer the way an app would: content as it arrives. */
async function collect(stream) {
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  return text;
}

async function runAgent(question) {
  const messages = [
    { role: 'system', content: 'You are the support agent of an online shop. Look orders up before you answer.' },
    { role: 'user', content: question },
  ];

  // Step 1: the model decides to call a tool (non-streamed).
  const decision = await client.chat.completions.create({ model: MODEL, messages, tools });
  const assistant = decision.choices[0].message;
  const call = assistant.tool_calls?.[0];
  if (!call || call.type !== 'function') throw new Error('the model did not ask for the order lookup');
  console.log(`step 1  model asks for ${call.function.name}(${call.function.arguments})`);
  messages.push(assistant);

  // Step 2: the app runs the tool itself.
  const result = tracer.startActiveSpan(`execute_tool ${call.function.name}`, (span) => {
    span.setAttributes({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': call.function.name,
      'gen_ai.tool.call.id': call.id,
    });
    try {
      return lookupOrder(JSON.parse(call.function.arguments));
    } finally {
      span.end();
    }
  });
  console.log(`step 2  ${call.function.name} → ${JSON.stringify(result)}`);
  messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });

  // Step 3: the answer to the customer, streamed, with the usage the API reports at the end.
  const answer = await collect(
    await client.chat.completions.create({
      model: MODEL,
      messages,
      tools,
      stream: true,
      stream_options: { include_usage: true },
    }),
  );
  console.log(`step 3  answer: ${answer}`);

  // Step 4: a one-line ticket note, streamed WITHOUT include_usage: the API sends no usage, so
  // llm-otel estimates the tokens and says so on the span.
  const note = await collect(
    await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: TICKET_NOTE_PROMPT },
        { role: 'user', content: `Customer asked: ${question}\nAgent answered: ${answer}` },
      ],
      stream: true,
    }),
  );
  console.log(`step 4  ticket note: ${note}`);
}

// --- run it under one parent span, export, show the trace ----------------------------------------

const started = performance.now();
await tracer.startActiveSpan('agent.run', async (run) => {
  try {
    await runAgent('Hi, where is my order A-1042? It was supposed to arrive yesterday.');
  } catch (error) {
    run.recordException(error);
    run.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
    throw error;
  } finally {
    run.end();
  }
});
const agentMs = performance.now() - started;

// Flushes every span to the receiver (over gRPC) before it returns.
await telemetry.shutdown();
const isLlmCall = (span) => span.attributes['gen_ai.request.model'] !== undefined;
const spans = await receiver
  .waitFor((received) => received.some((span) => span.name === 'agent.run') && received.filter(isLlmCall).length >= LLM_CALLS, 3000)
  .catch(() => receiver.spans);

console.log('');
console.log(formatTraceTree(spans));
const llmCalls = spans.filter(isLlmCall);
const estimated = llmCalls.filter((span) => span.attributes['llm_otel.usage.estimated'] === true).length;
console.log(
  `summary: ${spans.length} spans of service support-agent reached the OTLP receiver over gRPC in ` +
    `${receiver.exportRequests} export(s); ${llmCalls.length} LLM calls (${estimated} with estimated usage), ` +
    `${provider.requests.length} provider requests, agent run ${agentMs.toFixed(0)} ms`,
);

await provider.close();
await receiver.close();
if (llmCalls.length < LLM_CALLS) {
  // The demo doubles as a smoke test of "no span lost": say so plainly and fail.
  console.error(`demo: only ${llmCalls.length} of ${LLM_CALLS} LLM spans reached the receiver after telemetry.shutdown()`);
  process.exitCode = 1;
}
// Everything is closed, so the process should now end by itself. If something still holds it open,
// name it and fail instead of hanging (the timer is unref'd: it cannot keep the process alive itself).
setTimeout(() => {
  console.error(`demo: the process did not exit by itself; still open: ${process.getActiveResourcesInfo().join(', ')}`);
  process.exit(1);
}, 3000).unref();
