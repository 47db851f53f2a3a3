// Compiled with `tsc --noEmit` (module nodenext) against the installed tarballs: the CommonJS types resolve.
import { LlmInstrumentation, setupTelemetry, type SetupOptions, type Telemetry } from '@llm-otel/setup';
import pii = require('@llm-otel/pii');
import instrumentation = require('@llm-otel/instrumentation');
import processor = require('@llm-otel/processor');
import '@llm-otel/setup/register';

const options: SetupOptions = { serviceName: 'typed-cjs', shutdownTimeoutMillis: 1000 };
const telemetry: Telemetry = setupTelemetry(options);
const hooks: LlmInstrumentation = new instrumentation.LlmInstrumentation({ enabled: false });
void [hooks, pii.PiiMaskingSpanProcessor, LlmInstrumentation, processor.LlmSpanProcessor];
void telemetry.forceFlush().then(() => telemetry.shutdown());

// @ts-expect-error handleSignals is a boolean
setupTelemetry({ handleSignals: 'yes' });
// @ts-expect-error pii takes masking options or false
new processor.LlmSpanProcessor(pii as never, { pii: true });
