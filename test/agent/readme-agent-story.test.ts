import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { runNode } from '../support/node-child';

// README.md, "The agent's story": the snippet (agent.mjs) is a complete program. test/readme-snippets
// runs every snippet against a stand-in that answers in text; here it runs as written against one
// that calls tools (realistic-chat), and its trace must read like the README says.

const testDir = path.dirname(fileURLToPath(import.meta.url));
// Inside the demo's folder: its node_modules has openai and @llm-otel/setup.
const programFile = path.join(testDir, '..', '..', 'examples', 'agent-demo', 'readme-agent-story.tmp.mjs');

function readmeProgram(): string {
  const readme = readFileSync(path.join(testDir, '..', '..', 'README.md'), 'utf8');
  const marker = readme.indexOf('<!-- readme-snippet: agent.mjs');
  expect(marker, 'README.md has lost its agent.mjs snippet').toBeGreaterThanOrEqual(0);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(marker));
  expect(block, 'no ```js block after the agent.mjs marker').not.toBeNull();
  return block![1];
}

let standIn: ProviderStandIn;
let receiver: OtlpReceiver;
beforeAll(async () => {
  standIn = await startProviderStandIn({ scenario: 'realistic-chat' });
  receiver = await startOtlpReceiver();
  writeFileSync(programFile, readmeProgram());
});
afterAll(async () => {
  rmSync(programFile, { force: true });
  await Promise.all([standIn?.close(), receiver?.close()]);
});

test('the README agent snippet runs as written and its trace tells the story', async () => {
  const exit = await runNode([path.basename(programFile)], {
    cwd: path.dirname(programFile),
    timeoutMs: 60_000,
    env: {
      OPENAI_API_KEY: 'test',
      OPENAI_BASE_URL: `${standIn.url}/v1`,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.httpUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
  });
  expect(exit.stderr).toBe('');
  expect(exit.code).toBe(0);
  expect(exit.stdout).toContain('I checked that for you');
  const spans = await receiver.waitFor((all) => all.length >= 5, 10_000);
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const path_ = (name: string) => {
    const names: string[] = [];
    for (let span = spans.find((candidate) => candidate.name === name); span; span = span.parentSpanId ? byId.get(span.parentSpanId) : undefined)
      names.unshift(span.name);
    return names;
  };
  expect(path_('execute_tool lookup_order')).toEqual(['invoke_agent refunds', 'invoke_workflow refund_ticket', 'execute_tool lookup_order']);
  const chats = spans.filter((span) => span.name === 'chat gpt-4o-mini');
  expect(chats).toHaveLength(2);
  const tool = spans.find((span) => span.name === 'execute_tool lookup_order')!;
  const asking = chats.find((span) => span.attributes['llm_otel.response.tool_call.count'] === 1)!;
  expect(String(asking.attributes['gen_ai.output.messages'])).toContain(String(tool.attributes['gen_ai.tool.call.id']));
  expect(asking.attributes['gen_ai.conversation.id']).toBe('ticket-1182');
});
