// Makes one call and lets the event loop empty; counts its own beforeExit events and prints them at
// exit. APP_WITHOUT_SETUP=1 runs the same app without llm-otel, as the baseline.
import { setupTelemetry } from '@llm-otel/setup';
import { chatOnce, settle } from './chat-call.mjs';

if (process.env.APP_WITHOUT_SETUP !== '1') {
  setupTelemetry({
    shutdownTimeoutMillis: Number(process.env.APP_SHUTDOWN_TIMEOUT_MS ?? 5000),
    batch: { scheduledDelayMillis: 600_000 },
  });
}

let beforeExitEvents = 0;
process.on('beforeExit', () => beforeExitEvents++);
process.on('exit', () => console.log(`beforeExit events: ${beforeExitEvents}`));

await chatOnce();
await settle();
console.log('idle');
