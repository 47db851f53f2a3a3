import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runNode } from '../support/node-child';

// Issue 15 item 4: every SDK example in examples/ runs as a user runs it (`node src/main.mjs`, the built
// packages, no API key: the provider stand-in answers) and prints its spans; this checks what it printed.
// The child gets no environment but PATH and HOME, so no API key or OTLP endpoint of the machine leaks in.

const examples = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'examples');

/** A line of examples/support's summary: `LLM span  <name>  provider=…  model=…  input_tokens=…`. */
const llmLine = (name: string, fields: string) => new RegExp(`^LLM span  ${name}  provider=${fields}`, 'm');
const TOKENS_AND_COST = String.raw`model=\S+  input_tokens=[1-9]\d*  output_tokens=[1-9]\d*  cost=[0-9.e-]+  hook=fetch`;

const EXPECTED: Record<string, { output: RegExp[]; spans: RegExp[] }> = {
  openai: {
    output: [/^chat: {7}\S/m, /^responses: {2}\S/m, /^embeddings: 1536 dimensions$/m],
    spans: [
      llmLine('chat gpt-4o-mini', `openai  ${TOKENS_AND_COST}  ttfc=\\d+\\.\\d{3}s$`), // the stream
      llmLine('chat gpt-4o-mini', `openai  ${TOKENS_AND_COST}$`), // Responses
      llmLine('embeddings text-embedding-3-small', String.raw`openai  model=text-embedding-3-small  input_tokens=[1-9]\d*  cost=[0-9.e-]+  hook=fetch$`),
    ],
  },
  anthropic: {
    output: [/^create: \S/m, /^stream: \S/m],
    spans: [llmLine('chat claude-haiku-4-5', `anthropic  ${TOKENS_AND_COST}$`), llmLine('chat claude-haiku-4-5', `anthropic  ${TOKENS_AND_COST}  ttfc=`)],
  },
  'google-genai': { output: [/^generateContent: 4$/m], spans: [llmLine('generate_content gemini-2.5-flash', `gcp\\.gemini  ${TOKENS_AND_COST}$`)] },
  'vercel-ai': {
    output: [/^generateText: \S/m, /^streamText: {3}\S/m],
    spans: [llmLine('chat gpt-4o-mini', `openai  ${TOKENS_AND_COST}$`), llmLine('chat gpt-4o-mini', `openai  ${TOKENS_AND_COST}  ttfc=`)],
  },
  langchain: {
    output: [/^invoke: \S/m, /^stream: \S/m],
    spans: [llmLine('chat gpt-4o-mini', `openai  ${TOKENS_AND_COST}$`), llmLine('chat gpt-4o-mini', `openai  ${TOKENS_AND_COST}  ttfc=`)],
  },
  fetch: { output: [/^fetch: \S/m], spans: [llmLine('chat gpt-4o-mini', `openai  ${TOKENS_AND_COST}$`)] },
  'node-sdk': {
    // LlmSpanProcessor masked the app's own span name; the LLM span is its child.
    output: [/^chat: \S/m, /^handle ticket <EMAIL> /m, /^└─ chat gpt-4o-mini /m],
    spans: [llmLine('chat gpt-4o-mini', `openai  ${TOKENS_AND_COST}$`)],
  },
  'nextjs-route': { output: [/^POST \/api\/chat 200: \S/m], spans: [llmLine('chat gpt-4o-mini', `openai  ${TOKENS_AND_COST}  ttfc=`)] },
};

describe.concurrent('SDK examples, run as a user runs them, with no API key', () => {
  test.each(Object.keys(EXPECTED))('examples/%s prints its answer and its LLM spans', async (name) => {
    const exit = await runNode(['src/main.mjs'], { cwd: join(examples, name), timeoutMs: 60_000 });
    expect(exit, `${exit.stdout}\n${exit.stderr}`).toMatchObject({ code: 0 });
    expect(exit.stdout).toMatch(/provider stand-in at http:\/\/127\.0\.0\.1:\d+ \(set [A-Z_]+_API_KEY for the real API\); spans to an embedded OTLP receiver/);
    const { output, spans } = EXPECTED[name];
    for (const pattern of output) expect(exit.stdout).toMatch(pattern);
    // Each expected span line once, and no other LLM span.
    let remaining = exit.stdout.split('\n').filter((line) => line.startsWith('LLM span  '));
    for (const pattern of spans) {
      const index = remaining.findIndex((line) => new RegExp(pattern.source).test(line));
      expect(index, `${pattern} in\n${remaining.join('\n')}`).toBeGreaterThanOrEqual(0);
      remaining = remaining.filter((_, i) => i !== index);
    }
    expect(remaining).toEqual([]);
    expect(exit.stdout).toContain(`${spans.length} of ${spans.length} LLM spans received`);
    // Nothing of ours on stderr: no warning, no failed export.
    expect(exit.stderr).toBe('');
  });
});
