// Preloaded with `--import @llm-otel/setup/register`. One call whose export fails (the test's receiver
// refuses it), so the outage is known; prints `outage seen`, waits a second (the test makes the
// receiver hang meanwhile), ends one last span, prints `idle` and lets the loop empty before the batch
// delay passes: the exit flush then meets a hanging backend with that span queued.
import { trace } from '@opentelemetry/api';
import { chatOnce } from '../lifecycle/chat-call.mjs';

const outage = new Promise((resolve) => {
  process.on('warning', (warning) => {
    if (warning.code === 'LLM_OTEL' && /exporting spans .* failed/.test(warning.message)) resolve();
  });
});
// Nothing else keeps the loop alive while the export fails (the batch timer is unreferenced).
const keepAlive = setInterval(() => undefined, 1000);
await chatOnce();
await outage;
console.log('outage seen');
await new Promise((resolve) => setTimeout(resolve, 1000));
trace.getTracer('app').startSpan('last words').end();
clearInterval(keepAlive);
console.log('idle');
