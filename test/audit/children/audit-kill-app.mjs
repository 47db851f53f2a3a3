// An application with the spool and the integrity chain on (the built @llm-otel/setup, as users run it).
// argv[2]: { dir, endpoint, mode }.
//   mode "run": ends spans continuously until it is killed (the test sends SIGKILL mid-export).
//   mode "restart": the same application started again on the same spool: it replays what the killed
//     process left, ends 30 spans of its own and shuts down cleanly.
import { writeSync } from 'node:fs';
import { trace } from '@opentelemetry/api';
import { setupTelemetry } from '@llm-otel/setup';

const { dir, endpoint, mode } = JSON.parse(process.argv[2]);
const emit = (event) => writeSync(1, `${JSON.stringify(event)}\n`);
const telemetry = setupTelemetry({
  serviceName: 'audit-kill-app',
  endpoint,
  spool: { dir },
  audit: { key: process.env.AUDIT_KEY, keyId: 'kill-test', checkpointIntervalMillis: 200 },
  batch: { scheduledDelayMillis: 10, maxExportBatchSize: 20 },
  handleSignals: false,
  shutdownTimeoutMillis: 15_000,
});
const tracer = trace.getTracer('audit-kill-app');
let ended = 0;
const work = (count) => {
  for (let index = 0; index < count; index += 1) tracer.startSpan('work', { attributes: { 'work.index': ended++, 'work.mode': mode } }).end();
};

if (mode === 'restart') {
  work(30);
  await telemetry.shutdown();
  emit({ event: 'done' });
} else {
  setInterval(() => work(5), 5);
  emit({ event: 'running' });
}
