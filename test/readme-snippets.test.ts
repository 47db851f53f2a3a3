import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { runNode, startNode } from './support/node-child';

// The README's code, as written there, run as a user would: every JavaScript/TypeScript block of
// README.md is marked `<!-- readme-snippet: FILE -->` (run here, with plain node on the built
// packages, the OpenAI SDK's own variables pointing at the provider stand-in and the default OTLP
// variables at a receiver) or `<!-- node-sdk-recipe -->` (test/node-sdk-readme.test.ts).

const testDir = path.dirname(fileURLToPath(import.meta.url));
const appDir = path.join(testDir, 'apps', 'readme-snippets');
const readme = readFileSync(path.join(testDir, '..', 'README.md'), 'utf8');
const CODE_FENCE = /^```(js|mjs|cjs|ts|javascript|typescript)\s*$/;

interface Snippet {
  file: string;
  code: string;
}

/** Every code block of the README with the marker line before it (or undefined). */
function codeBlocks(): { language: string; marker: string | undefined; code: string }[] {
  const lines = readme.split('\n');
  const blocks = [];
  for (let index = 0; index < lines.length; index += 1) {
    const fence = CODE_FENCE.exec(lines[index]);
    if (!fence) continue;
    const end = lines.indexOf('```', index + 1);
    const previous = lines[index - 1]?.startsWith('<!--') ? lines[index - 1] : undefined;
    blocks.push({ language: fence[1], marker: previous, code: lines.slice(index + 1, end).join('\n') + '\n' });
    index = end;
  }
  return blocks;
}

function snippets(): Snippet[] {
  return codeBlocks().flatMap((block) => {
    const file = /<!-- readme-snippet: (\S+)/.exec(block.marker ?? '')?.[1];
    return file ? [{ file, code: block.code }] : [];
  });
}

// The budgets snippet's per-user scope needs a pseudonym key, as an application would set it.
const SNIPPET_ENV = { LLM_OTEL_PSEUDONYM_KEY: 'readme-snippets-pseudonym-key-0123456789' };

let standIn: ProviderStandIn;
let receiver: OtlpReceiver;
beforeAll(async () => {
  standIn = await startProviderStandIn({ recordRequests: false });
  standIn.script(realisticChatRoute({ answer: { content: 'Your order ships tomorrow.' } }));
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await standIn?.close();
  await receiver?.close();
});

describe('README.md code blocks', () => {
  test('every JavaScript or TypeScript block is run by a test (marked readme-snippet or node-sdk-recipe)', () => {
    const blocks = codeBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const unmarked = blocks.filter((block) => !/readme-snippet(-mcp)?: |node-sdk-recipe/.test(block.marker ?? '')).map((block) => block.code.split('\n')[0]);
    expect(unmarked).toEqual([]);
  });

  test('CommonJS blocks use no top-level await; every block imports what it uses from @llm-otel', () => {
    for (const { file, code } of snippets()) {
      if (file.endsWith('.cjs')) {
        const topLevel = code.split('\n').filter((line) => /^(const|let|var|await|\w+\()/.test(line));
        expect(
          topLevel.filter((line) => /\bawait\b/.test(line)),
          file,
        ).toEqual([]);
      }
      for (const name of ['setupTelemetry', 'withGenAiContext']) {
        if (code.includes(`${name}(`))
          expect(code, `${file} uses ${name} without importing it`).toMatch(
            new RegExp(`(import|require)[^\\n]*\\b${name}\\b|\\{[^}]*\\b${name}\\b[^}]*\\}\\s*=\\s*require`),
          );
      }
    }
  });

  test.each(snippets().map((snippet) => [snippet.file, snippet] as const))(
    '%s runs as written: the SDK gets its answer and the span reaches the OTLP endpoint',
    async (file, snippet) => {
      receiver.clear();
      writeFileSync(path.join(appDir, file), snippet.code);
      const exit = await runNode([file], {
        cwd: appDir,
        env: { ...SNIPPET_ENV, OPENAI_API_KEY: 'test', OPENAI_BASE_URL: `${standIn.url}/v1`, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl },
      });
      expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
      const spans = await receiver.waitFor((all) => all.some((span) => span.name === 'chat gpt-4o-mini'), 10_000);
      const call = spans.find((span) => span.name === 'chat gpt-4o-mini')!;
      expect(call.resource['service.name']).toBe('support-agent');
      expect(call.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      if (snippet.code.includes('withGenAiContext'))
        expect(call.attributes).toMatchObject({ 'gen_ai.conversation.id': 'T-1042', 'gen_ai.agent.name': 'refunds' });
      else expect(exit.stdout).toContain('Your order ships tomorrow.');
    },
  );
});

describe('README.md MCP client and server', () => {
  const pair = () =>
    Object.fromEntries(
      codeBlocks().flatMap((block) => {
        const file = /<!-- readme-snippet-mcp: (\S+)/.exec(block.marker ?? '')?.[1];
        return file ? [[file, block.code]] : [];
      }),
    ) as Record<string, string>;

  test('the tool call of the client reaches the server, whose span joins the client trace through params._meta', async () => {
    const files = pair();
    expect(Object.keys(files).sort()).toEqual(['mcp-client.mjs', 'mcp-server.mjs']);
    receiver.clear();
    for (const [file, code] of Object.entries(files)) writeFileSync(path.join(appDir, file), code);
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl };
    const server = startNode(['mcp-server.mjs'], { cwd: appDir, env, timeoutMs: 120_000 });
    try {
      await server.waitForLine('MCP server on :3001');
      const client = await runNode(['mcp-client.mjs'], { cwd: appDir, env });
      expect(client, client.stderr).toMatchObject({ code: 0, signal: null });
      expect(client.stdout).toContain('order 1182: shipped');
      const spans = await receiver.waitFor((all) => all.filter((span) => span.name === 'tools/call lookup_order').length >= 2, 20_000);
      const calls = spans.filter((span) => span.name === 'tools/call lookup_order');
      const clientSpan = calls.find((span) => span.resource['service.name'] === 'refunds-agent')!;
      const serverSpan = calls.find((span) => span.resource['service.name'] === 'orders-mcp')!;
      expect(serverSpan.traceId).toBe(clientSpan.traceId);
      expect(serverSpan.parentSpanId).toBe(clientSpan.spanId);
    } finally {
      server.kill('SIGKILL');
      await server.exited.catch(() => undefined);
    }
  });
});
