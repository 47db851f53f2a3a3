// One variant, one mode, in a fresh process (forked by run.mjs): warm-up, then alternating rounds
// of plain and streamed calls, each timed until one macrotask turn after the result (work a
// variant defers to setImmediate is charged to the call). Sends samples, CPU and spans over IPC.
import { activateContextManager } from '../overhead/context-manager.mjs';
import { recordedFetch } from '../overhead/in-process-mode.mjs';
import { CALL_KINDS } from '../overhead/openai-calls.mjs';
import { setUpVariant } from './variants.mjs';

const { variant, mode, port, warmupCalls, calls, roundSize } = JSON.parse(process.argv[2]);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

activateContextManager();
// In-process, the canned fetch is global before anything is registered: whichever layer a variant
// hooks (the SDK's methods or fetch), the bytes come from the recording.
if (mode === 'in-process') globalThis.fetch = recordedFetch;
const baseURL = mode === 'in-process' ? 'https://api.openai.com/v1' : `http://127.0.0.1:${port}/v1`;
const { client, exporter, tracerProvider } = await setUpVariant(variant, baseURL);

/** Adds one round's spans to the tally of their call kind: how many, their attributes and events. */
function tallySpans(tally, spans) {
  tally.count += spans.length;
  for (const span of spans) {
    tally.attributes += Object.keys(span.attributes).length;
    tally.events += span.events.length;
    if (!tally.names.includes(span.name)) tally.names.push(span.name);
  }
}

async function rounds(total, record) {
  for (let done = 0; done < total; done += roundSize) {
    const size = Math.min(roundSize, total - done);
    for (const kind of CALL_KINDS) {
      const before = process.cpuUsage();
      for (let i = 0; i < size; i++) {
        const start = performance.now();
        await kind.call(client);
        await nextTurn();
        record?.samples[kind.name].push((performance.now() - start) * 1000);
      }
      if (!record) continue;
      const cpu = process.cpuUsage(before);
      record.cpu[kind.name] += cpu.user + cpu.system;
      await tracerProvider.forceFlush();
      tallySpans(record.spans[kind.name], exporter.getFinishedSpans());
      exporter.reset();
    }
  }
}

await rounds(warmupCalls);
await tracerProvider.forceFlush();
exporter.reset();
const tally = () => ({ count: 0, attributes: 0, events: 0, names: [] });
const record = { samples: { plain: [], stream: [] }, cpu: { plain: 0, stream: 0 }, spans: { plain: tally(), stream: tally() } };
await rounds(calls, record);
process.send({
  samples: record.samples,
  cpuPerCall: { plain: record.cpu.plain / calls, stream: record.cpu.stream / calls },
  spans: record.spans,
});
await tracerProvider.shutdown();
process.disconnect();
