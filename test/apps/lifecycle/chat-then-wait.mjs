// Makes one call, prints `ready`, then waits for a signal. Spans are exported only by a flush:
// the batch delay is far longer than the test. APP_OWN_HANDLER=1 adds the app's own SIGTERM/SIGINT
// handler, which logs and exits 0 after 3 s: our flush runs beside it and must not need the app to
// wait for it, but a gRPC export on a machine at load 20 took longer than the 200 ms this once was
// (the span was missing in 2 of 4 runs of test/lifecycle.test.ts on main at load 19).
import { setupTelemetry } from '@llm-otel/setup';
import { chatOnce, settle } from './chat-call.mjs';

setupTelemetry({
  shutdownTimeoutMillis: Number(process.env.APP_SHUTDOWN_TIMEOUT_MS ?? 5000),
  batch: { scheduledDelayMillis: 600_000 },
});

if (process.env.APP_OWN_HANDLER === '1') {
  const onSignal = (signal) => {
    console.log(`app handler: ${signal}`);
    setTimeout(() => process.exit(0), 3000);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

await chatOnce();
await settle();
setInterval(() => {}, 1000);
console.log('ready');
