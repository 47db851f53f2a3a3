import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { executeTool, invokeAgent, invokeWorkflow, withGenAiContext } from '@llm-otel/instrumentation';
import { startOtlpReceiver, toOtlpJsonRequest, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { setupTelemetry } from '@llm-otel/setup';
import { buildCli, runCli } from '../../packages/cli/test/cli-child';
import { startMcpServer, type McpTestServer } from '../mcp/support/mcp-server';
import { OPENAI_CALL_MICROS, openaiCompletion } from '../budgets/support/wire';
import { loadOpenAI } from '../support/sdk-versions';

// Issue 15 item 7, the whole product at once: an agent run with a workflow, a local tool and a tool
// over MCP, under content capture with personal data in the prompt; PII masking, pseudonyms, the
// integrity chain, the spool through a backend outage, a budget's hard stop; the real openai SDK
// against the stand-in, the real gRPC exporter into the receiver; then `llm-otel verify` (built, in a
// child process) on the Collector-format file of what arrived.

const AUDIT_KEY = 'the whole-product story audit key, >= 32 bytes';
const PSEUDONYM_KEY = 'the whole-product story pseudonym key, >= 32 bytes';
const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1111';

let standIn: ProviderStandIn;
let receiver: OtlpReceiver;
let mcpReceiver: OtlpReceiver;
let mcp: McpTestServer;
let scratch: string;

beforeAll(async () => {
  buildCli();
  standIn = await startProviderStandIn();
  standIn.script({ method: 'POST', path: '/v1/chat/completions', respond: () => openaiCompletion(false) });
  receiver = await startOtlpReceiver();
  // The MCP server is another service, exporting to a backend of its own.
  mcpReceiver = await startOtlpReceiver();
  mcp = await startMcpServer({ otlpUrl: mcpReceiver.httpUrl });
  scratch = mkdtempSync(join(tmpdir(), 'llm-otel-story-'));
}, 180_000);
afterAll(async () => {
  await mcp?.close();
  await Promise.all([standIn?.close(), receiver?.close(), mcpReceiver?.close()]);
  rmSync(scratch, { recursive: true, force: true });
});

test('an agent run through masking, pseudonyms, the chain, the spool across an outage and a hard stop verifies end to end', async () => {
  const { OpenAI } = await loadOpenAI();
  // Two calls spend the day's budget (a warning at half, the limit at the second); the third is
  // refused before it is sent.
  const alerts: string[] = [];
  const telemetry = setupTelemetry({
    serviceName: 'refunds-story',
    endpoint: receiver.grpcUrl,
    providers: [{ baseUrl: `${standIn.url}/v1`, name: 'openai' }],
    captureContent: true,
    handleSignals: false,
    batch: { scheduledDelayMillis: 20 },
    spool: { dir: join(scratch, 'spool') },
    audit: { key: AUDIT_KEY, keyId: 'story-1' },
    pseudonyms: { key: PSEUDONYM_KEY, keyId: 'p1' },
    budgets: {
      budgets: [
        { name: 'story-daily', limitUsd: (2 * OPENAI_CALL_MICROS) / 1e6, period: 'day', warnAt: 0.5, hardStop: true, scope: { service: 'refunds-story' } },
      ],
      store: 'memory',
      onAlert: (alert) => alerts.push(alert.level),
    },
  });
  // The backend is down for the first exports: the spool keeps what the exporter could not send.
  receiver.setBehaviour({ grpcStatus: 14, times: 2 });
  const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
  const client = new Client({ name: 'refunds-agent', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url)));

  const answer = await invokeAgent({ name: 'refunds', id: 'agent-7', conversationId: 'T-1182' }, () =>
    withGenAiContext({ userId: EMAIL, sessionId: 'sess-42' }, () =>
      invokeWorkflow({ name: 'refund-request' }, async () => {
        await openai.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: `Refund order 1182 for ${EMAIL}, paid with ${CARD}` }],
        });
        const policy = await executeTool({ name: 'refund_policy', callId: 'call_policy', arguments: { email: EMAIL } }, async () => 'refunds within 30 days');
        const order = await executeTool({ name: 'lookup_order', type: 'extension', callId: 'call_order', arguments: { orderId: '1182' } }, () =>
          client.callTool({ name: 'lookup_order', arguments: { orderId: '1182' } }),
        );
        const final = await openai.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: `Policy: ${policy}. Order: ${JSON.stringify(order.content)}. Answer ${EMAIL}.` }],
        });
        return final.choices[0]?.message.content;
      }),
    ),
  );
  expect(typeof answer).toBe('string');
  await client.close();
  await telemetry.instrumentation.flush();
  expect(alerts).toEqual(['warning', 'critical']);
  const sent = standIn.requests.length;
  await expect(openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'one more' }] })).rejects.toMatchObject({
    status: 402,
  });
  expect(standIn.requests.length).toBe(sent);
  // The backend is back: the spool sends what it kept (its retry backs off; the deadline is generous).
  await receiver.waitFor((all) => all.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat').length >= 3, 60_000);
  await telemetry.shutdown();
  const spans = (
    await receiver.waitFor(
      (all) => all.some((span) => span.resource['service.name'] === 'refunds-story' && span.attributes['llm_otel.chain.checkpoint'] === 'final'),
      30_000,
    )
  ).filter((span) => span.resource['service.name'] === 'refunds-story');
  expect(receiver.rejectedRequests).toBeGreaterThan(0);

  // The story reads as a tree: agent → workflow → LLM calls and tools → the MCP client span.
  const named = (name: string) => spans.filter((span) => span.name === name);
  const [agent] = named('invoke_agent refunds');
  const [workflow] = named('invoke_workflow refund-request');
  const [mcpTool] = named('execute_tool lookup_order');
  expect(agent && workflow && mcpTool).toBeTruthy();
  expect(workflow.parentSpanId).toBe(agent.spanId);
  const llmCalls = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat' && span.parentSpanId === workflow.spanId);
  expect(llmCalls).toHaveLength(2);
  expect(spans.filter((span) => span.attributes['http.response.status_code'] === 402)).toHaveLength(1);
  for (const call of llmCalls) {
    expect(call.parentSpanId).toBe(workflow.spanId);
    expect(call.attributes['gen_ai.conversation.id']).toBe('T-1182');
    expect(String(call.attributes['user.id'])).toMatch(/^<USER:p1:[0-9a-f]{16,}>$/);
  }
  const mcpClient = spans.find((span) => span.attributes['mcp.method.name'] === 'tools/call');
  expect(mcpClient?.parentSpanId).toBe(mcpTool.spanId);
  // The MCP server's own span joined the same trace through params._meta.
  const serverSpans = await mcpReceiver.waitFor((all) => all.some((span) => span.traceId === agent.traceId), 20_000);
  expect(serverSpans.some((span) => span.traceId === agent.traceId)).toBe(true);
  // Budget alerts ride on the calls that crossed.
  expect(llmCalls.some((call) => call.events.some((event) => event.name === 'llm_otel.budget.alert'))).toBe(true);

  // Nothing personal left the process, though the prompt, the tool arguments and the user id held it.
  const exported = JSON.stringify(
    spans.map((span) => [span.name, span.attributes, span.events]),
    (_key, value) => (typeof value === 'bigint' ? String(value) : value),
  );
  expect(exported).not.toContain(EMAIL);
  expect(exported).not.toContain('4111');
  expect(exported).toContain('gen_ai.input.messages');

  // What arrived verifies as one clean chain, and one altered attribute is caught.
  const lines = [];
  for (let at = 0; at < spans.length; at += 4) lines.push(JSON.stringify(toOtlpJsonRequest(spans.slice(at, at + 4))));
  const file = join(scratch, 'arrived.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const keyFile = join(scratch, 'audit.key');
  writeFileSync(keyFile, AUDIT_KEY);
  const clean = await runCli(['verify', '--key-file', `story-1=${keyFile}`, file]);
  expect(clean.status, clean.stdout + clean.stderr).toBe(0);
  writeFileSync(file, `${lines.join('\n').replace('"refund-request"', '"refund-approved"')}\n`);
  const altered = await runCli(['verify', '--key-file', `story-1=${keyFile}`, file]);
  expect(altered.status, altered.stdout).toBe(1);
}, 180_000);
