// One start-up in a fresh process (forked by run.mjs): loads what the variant names, ESM `import`
// or CommonJS `require`, then reports the time since the process started and the resident set.
import { createRequire } from 'node:module';

const { variant, format, listPackages } = JSON.parse(process.argv[2]);
const require = createRequire(import.meta.url);
const load = (name) => (format === 'cjs' ? require(name) : import(name));

const started = performance.now(); // the process's own start-up until this script runs
if (variant.includes('openai')) {
  const { default: OpenAI } = await load('openai');
  new OpenAI({ apiKey: 'sk-startup' });
}
if (variant.includes('setup')) {
  const { setupTelemetry } = await load('@llm-otel/setup');
  setupTelemetry();
}
if (variant === 'import') await load('@llm-otel/setup');
const ready = performance.now();
// CPU time of the whole process so far (all threads): less disturbed than wall time on a busy machine.
const cpu = process.cpuUsage();
// A collection first: RSS should count what the modules keep, not garbage of their evaluation
// (--expose-gc is passed by run.mjs).
globalThis.gc?.();
const packages = listPackages ? globalThis.loadedPackages() : undefined;
// Node's fetch implementation (its internal undici), loaded when a fetch class is first read: the undici
// hook needs Node's Agent in the global-dispatcher slot, so set-up loads it; importing alone does not.
const fetchImplementation = process.moduleLoadList.includes('NativeModule internal/deps/undici/undici');
const packageTimes = globalThis.packageTimes?.();
process.send({
  scriptStartMillis: started,
  readyMillis: ready,
  cpuMillis: (cpu.user + cpu.system) / 1000,
  rssBytes: process.memoryUsage().rss,
  packages,
  fetchImplementation,
  packageTimes,
});
process.disconnect();
process.exit(0);
