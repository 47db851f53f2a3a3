import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { MODERN_NODE } from '../support/sdk-versions';
import { runNode } from '../support/node-child';

// A fixed defect (Node 20): @llm-otel/instrumentation imported npm undici 7 at load, whose lib/global.js
// put `new Agent()` into the empty global-dispatcher slot Node's fetch reads (the undici hook on or off);
// Node's fetch (bundled undici 6) then dispatched through undici 7's Agent, which refuses the
// content-length header openai 4 sets itself. npm undici now loads at the hook's install, after Node's
// own fetch internals have filled the slot with Node's Agent (hooks/undici-hook.ts loadUndici). Run with
// the built packages in a plain node process: inside vitest's worker Node's fetch has already run.

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One openai 4 call with fetch: globalThis.fetch against the stand-in; llm-otel set up first when `instrumented`. */
function scriptFor(instrumented: boolean): string {
  return `
    ${instrumented ? `const { LlmInstrumentation } = await import(${JSON.stringify(join(repo, 'packages/instrumentation/dist/index.js'))}); new LlmInstrumentation();` : ''}
    const slot = globalThis[Symbol.for('undici.globalDispatcher.1')];
    console.log('slot: ' + (slot === undefined ? 'empty' : slot.constructor.name));
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

test.skipIf(MODERN_NODE)(
  'Node 20: openai 4 with fetch: globalThis.fetch works under llm-otel as without it (was "invalid content-length header")',
  async () => {
    const run = (instrumented: boolean) => runNode(['--input-type=module', '-e', scriptFor(instrumented)], { cwd: join(repo, 'test') });
    const [without, withLlmOtel] = await Promise.all([run(false), run(true)]);
    expect(without.stdout, without.stderr).toContain('outcome: ok');
    expect(withLlmOtel.stdout, withLlmOtel.stderr).toContain('outcome: ok');
    // The hook wraps Node's own Agent (its class is Agent too: what differs is the copy, seen through the outcome).
    expect(withLlmOtel.stdout).toContain('slot: ObservingDispatcher');
  },
);
