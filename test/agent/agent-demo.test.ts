import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { startNode } from '../support/node-child';

// The README's first command runs this demo (`pnpm demo`): it must tell the agent's story with no
// key and no Docker. Runs the built packages, as the demo does, in a child process.
const DEMO = fileURLToPath(new URL('../../examples/agent-demo/', import.meta.url));

test('the agent demo prints the story: agent → workflow → rate-limited call and its retry → two tools (one over MCP) → answer → note', async () => {
  const child = startNode(['src/main.mjs'], { cwd: DEMO, env: { NO_COLOR: '1' }, timeoutMs: 60_000 });
  const { code, stdout, stderr } = await child.exited;
  expect(stderr).not.toMatch(/demo: /);
  expect(code).toBe(0);
  const tree = stdout
    .split('\n')
    .filter((line) => /^[\s│├└─]*(invoke_agent|invoke_workflow|chat|execute_tool)\b/.test(line))
    // The span name only: the columns after it (model, tokens, times, cost) vary.
    .map((line) => line.replace(/(\S)\s{2,}.*$/, '$1'));
  expect(tree.slice(0, 2)).toEqual(['invoke_agent support-agent', '└─ invoke_workflow resolve_delivery_ticket']);
  // The workflow's steps; deeper spans (the MCP client's, once the MCP hook work is merged) are under the tool.
  const steps = tree.filter((line) => /^ {3}[├└]─ /.test(line)).map((line) => line.slice(6));
  expect(steps).toEqual([
    'chat gpt-4o-mini',
    'chat gpt-4o-mini',
    'execute_tool lookup_order',
    'chat gpt-4o-mini',
    'execute_tool track_shipment',
    'chat gpt-4o-mini',
    'chat gpt-4o-mini',
  ]);
  expect(stdout).toMatch(/chat gpt-4o-mini .*ERROR 429/);
  expect(stdout).toContain('step 4  track_shipment → {"carrier":"DHL","lastScan":"Leipzig hub, 06:12","eta":"tomorrow before noon"}');
  expect(stdout).toMatch(/5 LLM calls \(1 retried, 1 with estimated usage\), 2 tool calls/);
});
