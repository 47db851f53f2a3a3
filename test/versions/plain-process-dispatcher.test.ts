import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { runNode } from '../support/node-child';

// Was a known defect (Node 20): @llm-otel/instrumentation imported npm undici 7's index, whose lib/global.js
// put `new Agent()` into the global-dispatcher slot Node's fetch reads whenever it was empty; Node's fetch
// (bundled undici 6) then dispatched through undici 7's Agent, which refuses the content-length header
// openai 4 sets itself ("invalid content-length header"). The hook now imports only undici's Dispatcher
// class (hooks/undici-dispatcher.ts), so the slot keeps Node's own Agent. Only a plain node process showed
// it (inside vitest's worker the same call went through), hence a child with the built packages, on every leg.

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
    const { createRequire } = await import('node:module');
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) => /node_modules\\/undici\\/index\\.js$/.test(file));
    console.log('undici index loaded: ' + loaded.length);
    await standIn.close();
    process.exit(0);
  `;
}

test('openai 4 with fetch: globalThis.fetch, in a plain node process: the call works under llm-otel, and npm undici is not loaded for it', async () => {
  const run = (instrumented: boolean) => runNode(['--input-type=module', '-e', scriptFor(instrumented)], { cwd: join(repo, 'test') });
  const [without, withLlmOtel] = await Promise.all([run(false), run(true)]);
  expect(without.stdout, without.stderr).toContain('outcome: ok');
  expect(withLlmOtel.stdout, withLlmOtel.stderr).toContain('outcome: ok');
  expect(withLlmOtel.stdout).toContain('undici index loaded: 0');
});

// The global dispatcher is ours; undici's index adds request/stream/pipeline/connect/upgrade to its
// Dispatcher class, which the hook no longer loads at start-up: ours load it at their first call.
test('the global dispatcher answers the API of undici (request, compose) in a process that never loaded undici, and the call is recorded', async () => {
  const script = `
    const { LlmInstrumentation } = await import(${JSON.stringify(join(repo, 'packages/instrumentation/dist/index.js'))});
    const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const { startProviderStandIn, realisticChatRoute } = await import(${JSON.stringify(join(repo, 'packages/provider-stand-in/dist/index.js'))});
    const standIn = await startProviderStandIn();
    standIn.script(realisticChatRoute());
    const exporter = new InMemorySpanExporter();
    const instrumentation = new LlmInstrumentation({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
    instrumentation.setTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    const dispatcher = globalThis[Symbol.for('undici.globalDispatcher.1')];
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const viaRequest = await dispatcher.request({ origin: standIn.url, path: '/v1/chat/completions', method: 'POST', body, headers: { 'content-type': 'application/json' } });
    console.log('request: ' + viaRequest.statusCode + ' ' + (await viaRequest.body.json()).object);
    const composed = dispatcher.compose((dispatch) => (options, handler) => dispatch(options, handler));
    console.log('composed: ' + (typeof composed.dispatch));
    await instrumentation.flush();
    await new Promise((resolve) => setTimeout(resolve, 100));
    console.log('spans: ' + exporter.getFinishedSpans().map((span) => span.attributes['llm_otel.hook']).join(','));
    await standIn.close();
    process.exit(0);
  `;
  const run = await runNode(['--input-type=module', '-e', script], { cwd: join(repo, 'test') });
  expect(run.stdout, run.stderr).toContain('request: 200 chat.completion');
  expect(run.stdout).toContain('composed: function');
  expect(run.stdout).toContain('spans: undici');
});

// Issue 11, start-up: Node loads its fetch implementation (its internal undici: 20-55 ms and ~10 MiB on
// Node 20, 75-90 ms and 14-17 MiB on Node 24) when a fetch class is first read. The packages read them
// when a hook is installed, not as they load: importing them, or setting up with OTEL_SDK_DISABLED=true,
// does not load it; installing the hooks does, so that the slot holds Node's own Agent, wrapped (also
// with the fetch hook off, which then cannot have done it).
test.each([
  ['importing @llm-otel/instrumentation', false, 'await import(dist("instrumentation"));'],
  ['importing @llm-otel/processor', false, 'await import(dist("processor"));'],
  ['requiring @llm-otel/setup', false, 'require(cjs("setup"));'],
  // On Node 24 an ES-module import of node:http (budgets' webhook once did) loads it: `http.WebSocket`.
  ['importing @llm-otel/setup', false, 'await import(dist("setup"));'],
  [
    'setupTelemetry() with OTEL_SDK_DISABLED=true',
    false,
    'process.env.OTEL_SDK_DISABLED = "true"; (await import(dist("setup"))).setupTelemetry({ handleSignals: false });',
  ],
  ['setupTelemetry() at its defaults', true, '(await import(dist("setup"))).setupTelemetry({ handleSignals: false });'],
  ['setupTelemetry() from the CommonJS build', true, 'require(cjs("setup")).setupTelemetry({ handleSignals: false });'],
  ['an LlmInstrumentation with the fetch hook off', true, 'new (await import(dist("instrumentation"))).LlmInstrumentation({ hooks: { fetch: false } });'],
])("Node's fetch implementation after %s: loaded %s", async (_what, loaded, step) => {
  const script = `
    const dist = (name) => ${JSON.stringify(join(repo, 'packages'))} + '/' + name + '/dist/index.js';
    const cjs = (name) => ${JSON.stringify(join(repo, 'packages'))} + '/' + name + '/dist/index.cjs';
    const require = (await import('node:module')).createRequire(import.meta.url);
    ${step}
    const slot = globalThis[Symbol.for('undici.globalDispatcher.1')];
    console.log(JSON.stringify({
      loaded: process.moduleLoadList.includes('NativeModule internal/deps/undici/undici'),
      slot: slot?.constructor?.name,
      wrapped: slot?.previous?.constructor?.name,
    }));
    process.exit(0);
  `;
  const run = await runNode(['--input-type=module', '-e', script], { cwd: join(repo, 'test') });
  const line = run.stdout.split('\n').find((text) => text.startsWith('{'));
  expect(line, run.stderr).toBeDefined();
  const report = JSON.parse(line!) as { loaded: boolean; slot?: string; wrapped?: string };
  expect(report.loaded).toBe(loaded);
  // Installed: the global dispatcher is ours, delegating to the Agent Node put there.
  if (loaded) expect(report).toMatchObject({ slot: 'ObservingDispatcher', wrapped: 'Agent' });
  else expect(report.slot).toBeUndefined();
});
