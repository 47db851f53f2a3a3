// Where the instrumented call spends its time: samples the CPU (V8 profiler through
// node:inspector) over the same calls with the instrumentation off and on, and prints self time
// per component and the hottest functions of @llm-otel/instrumentation mapped to their sources.
// Run: node overhead/profile.mjs [in-process|loopback]   (a diagnosis aid; run.mjs is the benchmark)
import { findSourceMap } from 'node:module';
import { Session } from 'node:inspector/promises';
import { activateContextManager } from './context-manager.mjs';

process.setSourceMapsEnabled(true); // before the dist is loaded, so findSourceMap() knows it
activateContextManager();
const { CALL_KINDS } = await import('./openai-calls.mjs');
const mode = process.argv[2] ?? 'in-process';
const setup = mode === 'loopback' ? await (await import('./loopback-mode.mjs')).loopbackClient() : (await import('./in-process-mode.mjs')).inProcessClient();

const CALLS = 3000;
const SAMPLING_INTERVAL_US = 50;
const WARMUP = 500;

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });

const profiles = {};
try {
  for (const variant of ['baseline', 'instrumented']) {
    if (variant === 'baseline') setup.pipeline.instrumentation.disable();
    else setup.pipeline.instrumentation.enable();
    for (const kind of CALL_KINDS) {
      await callMany(kind.call, WARMUP);
      await session.post('Profiler.start');
      await callMany(kind.call, CALLS);
      const { profile } = await session.post('Profiler.stop');
      profiles[`${variant} ${kind.name}`] = profile;
    }
  }
} finally {
  await setup.stop();
  session.disconnect();
}

async function callMany(call, count) {
  for (let i = 0; i < count; i++) {
    await call(setup.client);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

for (const kind of CALL_KINDS) {
  const baseline = selfTimes(profiles[`baseline ${kind.name}`]);
  const instrumented = selfTimes(profiles[`instrumented ${kind.name}`]);
  console.log(`\n== ${mode}, ${kind.label}: self time per call, µs (sampled over ${CALLS} calls) ==`);
  console.log('component                          baseline  instrumented     added');
  const components = new Set([...baseline.byComponent.keys(), ...instrumented.byComponent.keys()]);
  const rows = [...components].map((name) => ({
    name,
    before: (baseline.byComponent.get(name) ?? 0) / CALLS,
    after: (instrumented.byComponent.get(name) ?? 0) / CALLS,
  }));
  rows.sort((a, b) => b.after - b.before - (a.after - a.before));
  for (const row of rows.filter((r) => Math.max(r.before, r.after) >= 0.5)) {
    console.log(
      `${row.name.padEnd(32)} ${row.before.toFixed(1).padStart(9)} ${row.after.toFixed(1).padStart(13)} ${(row.after - row.before).toFixed(1).padStart(9)}`,
    );
  }
  console.log(
    `total                            ${(baseline.total / CALLS).toFixed(1).padStart(9)} ${(instrumented.total / CALLS).toFixed(1).padStart(13)} ${((instrumented.total - baseline.total) / CALLS).toFixed(1).padStart(9)}`,
  );
  console.log(`hottest functions of @llm-otel/instrumentation (self µs per call):`);
  for (const [where, micros] of [...instrumented.ours].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`  ${(micros / CALLS).toFixed(2).padStart(6)}  ${where}`);
  }
  console.log('functions of any component whose self time grew most (µs per call, instrumented minus baseline):');
  const grown = [...instrumented.byFunction].map(([where, micros]) => [where, (micros - (baseline.byFunction.get(where) ?? 0)) / CALLS]);
  for (const [where, micros] of grown.sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`  ${micros.toFixed(2).padStart(6)}  ${where}`);
  }
}

/** Self time (µs) per component and per function of ours, from a V8 CPU profile. */
function selfTimes(profile) {
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  // Samples × interval, not the time deltas: on a busy machine a delta also holds the time the
  // thread waited for a core, which would be charged to whatever function was sampled next.
  const selfById = new Map();
  for (const id of profile.samples) selfById.set(id, (selfById.get(id) ?? 0) + SAMPLING_INTERVAL_US);
  const byComponent = new Map();
  const ours = new Map();
  const byFunction = new Map();
  let total = 0;
  for (const [id, micros] of selfById) {
    const frame = nodeById.get(id).callFrame;
    const component = componentOf(frame);
    if (component === '(idle)') continue;
    total += micros;
    byComponent.set(component, (byComponent.get(component) ?? 0) + micros);
    const name = `${frame.functionName || '(anonymous)'}  ${component === '@llm-otel/instrumentation' ? originalPosition(frame) : `${frame.url.replace(/^.*node_modules\//, '')}:${frame.lineNumber + 1}`}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    if (component === '@llm-otel/instrumentation') {
      const where = originalPosition(frame);
      ours.set(where, (ours.get(where) ?? 0) + micros);
    }
  }
  return { byComponent, ours, byFunction, total };
}

function componentOf({ url, functionName }) {
  if (!url) {
    if (functionName === '(idle)' || functionName === '(program)') return '(idle)';
    if (functionName === '(garbage collector)') return '(garbage collector)';
    return `(${functionName || 'native'})`;
  }
  if (url.includes('/packages/instrumentation/')) return '@llm-otel/instrumentation';
  if (url.includes('/bench/overhead/')) return 'bench harness';
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[1];
  if (url.startsWith('node:internal/deps/undici')) return 'node: undici (fetch)';
  if (url.startsWith('node:internal/webstreams')) return 'node: web streams';
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/').slice(0, 2).join('/')}`;
  return url;
}

function originalPosition({ url, functionName, lineNumber, columnNumber }) {
  const entry = findSourceMap(url)?.findEntry(lineNumber, columnNumber);
  const source = entry?.originalSource ? entry.originalSource.replace(/^.*\/src\//, 'src/') : url.replace(/^.*\//, '');
  const line = entry?.originalLine !== undefined ? entry.originalLine + 1 : lineNumber + 1;
  return `${functionName || '(anonymous)'}  ${source}:${line}`;
}
