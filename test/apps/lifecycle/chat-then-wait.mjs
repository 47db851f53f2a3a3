// Makes one call, prints `ready`, then waits for a signal. Spans are exported only by a flush:
// the batch delay is far longer than the test. APP_OWN_HANDLER=1 adds the app's own SIGTERM/SIGINT
// handler, which logs and exits 0 after 200 ms.
import { setupTelemetry } from '@llm-otel/setup';
import { chatOnce, settle } from './chat-call.mjs';

setupTelemetry({
  shutdownTimeoutMillis: Number(process.env.APP_SHUTDOWN_TIMEOUT_MS ?? 5000),
  batch: { scheduledDelayMillis: 600_000 },
});

if (process.env.APP_OWN_HANDLER === '1') {
  const onSignal = (signal) => {
    console.log(`app handler: ${signal}`);
    setTimeout(() => process.exit(0), 200);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

await chatOnce();
await settle();
setInterval(() => {}, 1000);
console.log('ready');
