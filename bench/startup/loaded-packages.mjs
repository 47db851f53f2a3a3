// Which packages a start-up loads, ESM and CommonJS alike: a module-resolution hook (registered
// with --import, off the main thread) sends every URL the ESM loader resolves to the main thread;
// CommonJS `require` calls (not hooked on Node 20) are in the require cache. Only for the run that
// lists packages: the hook thread would distort the timed runs.
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';

const resolved = new Set();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => resolved.add(url));
port1.unref();
register(new URL('./resolve-hook.mjs', import.meta.url), { data: { port: port2 }, transferList: [port2] });

/** Package names (scoped ones as @scope/name) of every file resolved so far. */
globalThis.loadedPackages = () => {
  const names = new Set();
  const required = Object.keys(createRequire(import.meta.url).cache).map((file) => pathToFileURL(file).href);
  for (const url of [...resolved, ...required]) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(url) ?? /\/packages\/([^/]+)\/dist\//.exec(url);
    if (match) names.add(match[1].includes('/') || !url.includes('/packages/') ? match[1] : `@llm-otel/${match[1]}`);
  }
  return [...names].sort();
};
