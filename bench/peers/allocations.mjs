// Bytes allocated per call, garbage included, by the nearest llm-otel function on the stack: the V8
// sampling heap profiler with collected objects kept (includeObjectsCollectedBy{Minor,Major}GC), over
// the calls of bench/peers (in-process, canned fetch). GC time follows garbage, and a CPU profile
// shows only who collects, not who allocated (issue 11).
// Run: node bench/peers/allocations.mjs [plain|stream] [variant] [--promoted]   (after `npx pnpm@10 build`)
// --promoted: only what survived the minor collections (was promoted to the old generation): what
// lives longer than it should costs scavenge time and full collections, dying young costs little.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Session } from 'node:inspector/promises';
import { activateContextManager } from '../overhead/context-manager.mjs';
import { recordedFetch } from '../overhead/in-process-mode.mjs';
import { CALL_KINDS } from '../overhead/openai-calls.mjs';
import { setUpVariant } from './variants.mjs';

const CALLS = { plain: 3000, stream: 1500 };
const WARMUP = 500;
const SAMPLING_BYTES = 256;
const promotedOnly = process.argv.includes('--promoted');
const [kindName = 'plain', variant = 'llm-otel', role] = process.argv.slice(2).filter((arg) => arg !== '--promoted');

if (role !== 'child') {
  const bytesOf = async (name) => {
    const child = fork(new URL(import.meta.url), [kindName, name, 'child', ...(promotedOnly ? ['--promoted'] : [])]);
    const [message] = await once(child, 'message');
    await once(child, 'exit');
    return message;
  };
  const baseline = await bytesOf('baseline');
  const measured = await bytesOf(variant);
  const per = (bytes) => (bytes / 1024).toFixed(1).padStart(7);
  const what = promotedOnly ? 'promoted (survived the minor collections)' : 'allocated';
  console.log(`${kindName}: KB ${what} per call, sampled every ${SAMPLING_BYTES} bytes over ${CALLS[kindName]} calls (after ${WARMUP} warm-up)`);
  console.log(`baseline ${per(baseline.total)}   ${variant} ${per(measured.total)}   added ${per(measured.total - baseline.total)}`);
  console.log(`under ${variant}'s own functions (self and what they call: a hook's frame includes the fetch it wraps), bytes per call:`);
  for (const [name, bytes] of measured.ours.slice(0, 25)) console.log(`${String(Math.round(bytes)).padStart(8)}  ${name}`);
  process.exit(0);
}

activateContextManager();
globalThis.fetch = recordedFetch;
const { client, exporter } = await setUpVariant(variant, 'https://api.openai.com/v1');
const kind = CALL_KINDS.find((candidate) => candidate.name === kindName);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
async function callMany(count) {
  for (let i = 0; i < count; i++) {
    await kind.call(client);
    await nextTurn();
    if (i % 25 === 24) exporter.reset();
  }
}
await callMany(WARMUP);
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {
  samplingInterval: SAMPLING_BYTES,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: !promotedOnly,
});
const calls = CALLS[kindName];
await callMany(calls);
const { profile } = await session.post('HeapProfiler.stopSampling');
session.disconnect();

let total = 0;
const ours = new Map();
const isOurs = (url) => url.includes('/instrumentation/dist/') || url.includes('/packages/instrumentation/');
(function walk(node, owner) {
  const { functionName, url, lineNumber } = node.callFrame;
  const here = isOurs(url) ? `${functionName || '(anonymous)'} (dist line ${lineNumber + 1})` : owner;
  total += node.selfSize;
  if (here) ours.set(here, (ours.get(here) ?? 0) + node.selfSize / calls);
  for (const child of node.children) walk(child, here);
})(profile.head, undefined);
process.send({ total: total / calls, ours: [...ours].sort((a, b) => b[1] - a[1]) }, () => process.exit(0));
