// Prints how many SIGTERM, SIGINT and beforeExit listeners set-up added. APP_HANDLE_SIGNALS, when
// set, becomes the handleSignals option; otherwise the option is left out (LLM_OTEL_HANDLE_SIGNALS applies).
import { setupTelemetry } from '@llm-otel/setup';

const option = process.env.APP_HANDLE_SIGNALS;
const telemetry = setupTelemetry(option === undefined ? {} : { handleSignals: option === 'true' });
const counts = Object.fromEntries(['SIGTERM', 'SIGINT', 'beforeExit'].map((event) => [event, process.listenerCount(event)]));
console.log(JSON.stringify(counts));
await telemetry.shutdown();
