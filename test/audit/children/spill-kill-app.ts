// A process with the spool and the integrity chain on (the sources, bundled by spill-kill.test.ts).
// argv[2]: { dir, endpoint, mode }; the chain key in AUDIT_KEY.
//   mode "run": its resource waits for an asynchronous attribute that never answers, so the spool's
//     writer takes the first batch and waits; more spans end and onEnd spills while it waits. Prints
//     {"event":"spilled",...} and stays up until the test kills it (SIGKILL).
//   mode "run-while-writing": nothing to wait for; the spill comes while the writer's signed batch is
//     still being written, and the process SIGKILLs itself right after it.
//   mode "restart": the same application started again on the same spool: it sends what the killed
//     process left (with the recovery record of where that chain ended), ends 5 spans of its own and
//     shuts down cleanly.
import { writeSync } from 'node:fs';
import { IntegrityChain, IntegrityChainSpanProcessor } from '@llm-otel/audit';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createSpoolingSpanProcessor } from '../../../packages/setup/src/spool/index';

const { dir, endpoint, mode } = JSON.parse(process.argv[2] ?? '{}') as { dir: string; endpoint: string; mode: 'run' | 'run-while-writing' | 'restart' };
const emit = (event: Record<string, unknown>) => writeSync(1, `${JSON.stringify(event)}\n`);

const chain = new IntegrityChain({ key: process.env.AUDIT_KEY ?? '', keyId: 'spill-kill' });
const spool = createSpoolingSpanProcessor({
  dir,
  endpoint,
  protocol: 'grpc',
  integrityChain: chain,
  maxBatchSpans: 10,
  maxQueueSpans: 20,
  // Nothing but the spans' own count and the spill moves batches: no timer write, no timeout of the wait.
  flushIntervalMillis: 600_000,
  exportTimeoutMillis: 600_000,
  retryInitialMillis: 50,
  retryMaxMillis: 200,
  timeoutMillis: 5000,
});
const head = new IntegrityChainSpanProcessor(chain, spool, { checkpointIntervalMillis: 0 });
const attributes = { 'service.name': 'spill-kill-app', ...(mode === 'run' ? { 'host.id': new Promise<string>(() => undefined) } : {}) };
const tracer = new BasicTracerProvider({ resource: resourceFromAttributes(attributes), spanProcessors: [head] }).getTracer('spill-kill-app');
const work = (count: number) => {
  for (let index = 0; index < count; index += 1) tracer.startSpan('work', { attributes: { 'work.index': index, 'work.mode': mode } }).end();
};

if (mode === 'run-while-writing') {
  // The writer takes the first batch, signs it and starts writing its file; the spill comes on the same
  // turn of the event loop, before the write can have finished, and the process dies before the next.
  work(10);
  await new Promise((resolve) => setImmediate(resolve));
  const writerHeld = (spool as unknown as { batchesBeingWritten: unknown[] }).batchesBeingWritten.length;
  work(20);
  emit({ event: 'spilled', writerHeld, spills: spool.synchronousSpills });
  process.kill(process.pid, 'SIGKILL');
} else if (mode === 'restart') {
  work(5);
  await head.shutdown();
  emit({ event: 'done' });
  process.exit(0);
} else {
  work(10); // a full batch: the writer takes it on the next turn of the event loop and waits for host.id
  await new Promise((resolve) => setImmediate(resolve));
  // A private field, read only to prove the scenario: the writer holds that batch now.
  const writerHeld = (spool as unknown as { spansBeingEncoded: unknown[] }).spansBeingEncoded.length;
  work(20); // the queue reaches maxQueueSpans while the writer still waits: onEnd spills
  emit({ event: 'spilled', writerHeld, spills: spool.synchronousSpills });
  setInterval(() => undefined, 1000);
}
