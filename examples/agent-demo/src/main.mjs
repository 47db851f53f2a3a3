// A small support agent, traced by llm-otel. Everything runs on this machine: an embedded OTLP
// receiver stands in for the tracing backend, a provider stand-in answers the real `openai` SDK like
// the OpenAI API would (tool calls, streaming, usage, a rate limit), and a carrier's MCP server
// (the real @modelcontextprotocol/sdk over Streamable HTTP) answers one of the agent's two tools.
// Run: pnpm --filter @llm-otel/agent-demo start
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import OpenAI from 'openai';
import { formatTraceTree, startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { realisticChatRoute, startProviderStandIn } from '@llm-otel/provider-stand-in';
import { executeTool, invokeAgent, invokeWorkflow, setupTelemetry, wrapTool } from '@llm-otel/setup';
import { startCarrierMcpServer, TRACK_SHIPMENT } from './carrier-mcp-server.mjs';

const MODEL = 'gpt-4o-mini';
const TICKET_NOTE_PROMPT = 'Write a one-line note for the support ticket.';
// Attempts: the rate-limited first one and its retry, the second tool decision, the answer, the note.
const LLM_ATTEMPTS = 5;

const receiver = await startOtlpReceiver();
const provider = await startProviderStandIn({ scenario: 'realistic-chat' });
const carrier = await startCarrierMcpServer();
// The stand-in answers like the OpenAI API. Scripted: after the order lookup the model asks for the
// carrier's tracking, and the ticket note has a fixed text.
provider.script(
  realisticChatRoute({
    answer: (request) => {
      if (request.messages[0]?.text === TICKET_NOTE_PROMPT) {
        return { content: 'Late delivery of A-1042: DHL JD014600003828 scanned in Leipzig at 06:12, arrives tomorrow before noon; customer informed.' };
      }
      const toolResults = request.messages.filter((message) => message.role === 'tool').length;
      return toolResults === 1 ? { toolCall: { name: TRACK_SHIPMENT.name, arguments: { tracking_number: 'JD014600003828' } } } : undefined;
    },
  }),
);
// The first request is rate limited (429, retry after 50 ms): the SDK retries, and both attempts are spans.
provider.script({
  method: 'POST',
  path: '/v1/chat/completions',
  times: 1,
  respond: {
    status: 429,
    headers: { 'content-type': 'application/json', 'retry-after-ms': '50' },
    body: JSON.stringify({
      error: { message: 'Rate limit reached for gpt-4o-mini (requests per min). Please try again in 50ms.', type: 'requests', code: 'rate_limit_exceeded' },
    }),
  },
});

const telemetry = setupTelemetry({
  serviceName: 'support-agent',
  endpoint: receiver.grpcUrl,
  protocol: 'grpc',
  captureContent: false,
  // The stand-in plays OpenAI on a local address; this names the provider on the spans.
  providers: [{ baseUrl: `${provider.url}/v1`, name: 'openai' }],
});

const client = new OpenAI({ baseURL: `${provider.url}/v1`, apiKey: 'demo', maxRetries: 2 });
const carrierClient = new Client({ name: 'support-agent', version: '1.0.0' });

// --- the application: a support agent with two tools ---------------------------------------------

const ORDERS = {
  'A-1042': { status: 'shipped', carrier: 'DHL', tracking_number: 'JD014600003828' },
};

const tools = [
  {
    type: 'function',
    function: {
      name: 'lookup_order',
      description: 'Look up the shipping status of an order by its id.',
      parameters: { type: 'object', properties: { order_id: { type: 'string', description: 'The order id, e.g. A-1042' } }, required: ['order_id'] },
    },
  },
  { type: 'function', function: { name: TRACK_SHIPMENT.name, description: TRACK_SHIPMENT.description, parameters: TRACK_SHIPMENT.inputSchema } },
];

// A local tool: one `execute_tool lookup_order` span per call, with the model's call id.
const lookupOrder = wrapTool(
  { name: 'lookup_order', description: 'Look up the shipping status of an order by its id.', callId: (call) => call.id },
  (call) => ORDERS[JSON.parse(call.function.arguments).order_id] ?? { status: 'not found' },
);

// A remote tool over MCP: the tool span (type `extension`) is around the MCP client's tools/call.
async function trackShipment(call) {
  return executeTool({ name: TRACK_SHIPMENT.name, type: 'extension', description: TRACK_SHIPMENT.description, callId: call.id }, async () => {
    const result = await carrierClient.callTool({ name: TRACK_SHIPMENT.name, arguments: JSON.parse(call.function.arguments) });
    return result.structuredContent ?? result.content;
  });
}

const runTool = { lookup_order: lookupOrder, [TRACK_SHIPMENT.name]: trackShipment };

/** Reads a streamed answer the way an app would: content as it arrives. */
async function collect(stream) {
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  return text;
}

async function resolveTicket(question) {
  // Inside the run, so the MCP session's start (initialize) is part of the story too.
  await carrierClient.connect(new StreamableHTTPClientTransport(carrier.url));
  const messages = [
    { role: 'system', content: 'You are the support agent of an online shop. Look orders up and track parcels before you answer.' },
    { role: 'user', content: question },
  ];

  // Steps 1–4: the model asks for a tool (the first request is rate limited and retried), the app
  // runs it, twice: the order lookup here, then the carrier's tracking over MCP.
  for (let step = 1; step <= 3; step += 2) {
    const decision = await client.chat.completions.create({ model: MODEL, messages, tools });
    const assistant = decision.choices[0].message;
    const call = assistant.tool_calls?.[0];
    if (!call || call.type !== 'function') throw new Error('the model did not ask for a tool');
    console.log(`step ${step}  model asks for ${call.function.name}(${call.function.arguments})`);
    messages.push(assistant);
    const result = await runTool[call.function.name](call);
    console.log(`step ${step + 1}  ${call.function.name} → ${JSON.stringify(result)}`);
    messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
  }

  // Step 5: the answer to the customer, streamed, with the usage the API reports at the end.
  const answer = await collect(await client.chat.completions.create({ model: MODEL, messages, tools, stream: true, stream_options: { include_usage: true } }));
  console.log(`step 5  answer: ${answer}`);

  // Step 6: a one-line ticket note, streamed WITHOUT include_usage: the API sends no usage, so
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
  console.log(`step 6  ticket note: ${note}`);
}

// --- run it as one agent invocation with one workflow, export, show the trace --------------------

const started = performance.now();
await invokeAgent(
  { name: 'support-agent', id: 'support-agent-eu-1', version: '1.4.0', description: 'Answers delivery questions', conversationId: 'ticket-1182' },
  () => invokeWorkflow({ name: 'resolve_delivery_ticket' }, () => resolveTicket('Hi, where is my order A-1042? It was supposed to arrive yesterday.')),
);
const agentMs = performance.now() - started;

await carrierClient.close();
// Flushes every span to the receiver (over gRPC) before it returns.
await telemetry.shutdown();
const isLlmAttempt = (span) => span.attributes['gen_ai.request.model'] !== undefined;
const spans = await receiver
  .waitFor((received) => received.some((span) => span.name.startsWith('invoke_agent')) && received.filter(isLlmAttempt).length >= LLM_ATTEMPTS, 3000)
  .catch(() => receiver.spans);

console.log('');
console.log(formatTraceTree(spans));
const llmCalls = spans.filter(isLlmAttempt);
const estimated = llmCalls.filter((span) => span.attributes['llm_otel.usage.estimated'] === true).length;
// The agent's own tool calls: the tool spans directly in the workflow (an MCP client's spans, once
// the hooks make them, sit under the MCP tool's span).
const workflow = spans.find((span) => span.name.startsWith('invoke_workflow'));
const toolSpans = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'execute_tool' && span.parentSpanId === workflow?.spanId).length;
const retried = llmCalls.filter((span) => span.attributes['http.request.resend_count'] > 0).length;
console.log(
  `summary: ${spans.length} spans of service support-agent reached the OTLP receiver over gRPC in ` +
    `${receiver.exportRequests} export(s); ${llmCalls.length} LLM calls (${retried} retried, ${estimated} with estimated usage), ` +
    `${toolSpans} tool calls, ${provider.requests.length} provider requests, agent run ${agentMs.toFixed(0)} ms`,
);

await carrier.close();
await provider.close();
await receiver.close();
if (llmCalls.length < LLM_ATTEMPTS) {
  // The demo doubles as a smoke test of "no span lost": say so plainly and fail.
  console.error(`demo: only ${llmCalls.length} of ${LLM_ATTEMPTS} LLM spans reached the receiver after telemetry.shutdown()`);
  process.exitCode = 1;
}
// Everything is closed, so the process should now end by itself. If something still holds it open,
// name it and fail instead of hanging (the timer is unref'd: it cannot keep the process alive itself).
setTimeout(() => {
  console.error(`demo: the process did not exit by itself; still open: ${process.getActiveResourcesInfo().join(', ')}`);
  process.exit(1);
}, 3000).unref();
