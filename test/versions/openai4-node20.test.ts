import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { MODERN_NODE } from '../support/sdk-versions';
import { runNode } from '../support/node-child';

// A known defect, pinned so that the day it is fixed this test says so (then run openai 4 on Node 20 in
// openai-majors.test.ts and drop this file). Node 20: @llm-otel/instrumentation imports npm undici 7, whose
// lib/global.js puts `new Agent()` into the empty global-dispatcher slot Node's fetch reads (the undici
// hook on or off); Node's fetch (bundled undici 6) then dispatches through undici 7's Agent, which refuses
// the content-length header openai 4 sets itself. Reproduced with the built packages in a plain node
// process (inside vitest's worker the same call went through). Node 22+ bundles undici 7: not affected.

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One openai 4 call with fetch: globalThis.fetch against the stand-in; llm-otel set up first when `instrumented`. */
function scriptFor(instrumented: boolean): string {
  return `
    ${instrumented ? `const { LlmInstrumentation } = await import(${JSON.stringify(join(repo, 'packages/instrumentation/dist/index.js'))}); new LlmInstrumentation();` : ''}
    const { startProviderStandIn, realisticChatRoute } = await import(${JSON.stringify(join(repo, 'packages/provider-stand-in/dist/index.js'))});
    const { default: OpenAI } = await import('openai-v4');
    const standIn = await startProviderStandIn();
    standIn.script(realisticChatRoute());
    const client = new OpenAI({ baseURL: standIn.url + '/v1', apiKey: 'test', maxRetries: 0, fetch: globalThis.fetch });
    const outcome = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .then(() => 'ok', (error) => 'failed: ' + (error.cause?.cause?.message ?? error.message));
    console.log('outcome: ' + outcome);
    await standIn.close();
    process.exit(0);
  `;
}

test.skipIf(MODERN_NODE)('known defect, Node 20: openai 4 with fetch: globalThis.fetch fails under llm-otel ("invalid content-length header")', async () => {
  const run = (instrumented: boolean) => runNode(['--input-type=module', '-e', scriptFor(instrumented)], { cwd: join(repo, 'test') });
  const [without, withLlmOtel] = await Promise.all([run(false), run(true)]);
  expect(without.stdout, without.stderr).toContain('outcome: ok');
  expect(withLlmOtel.stdout, withLlmOtel.stderr).toContain('outcome: failed: invalid content-length header');
});
