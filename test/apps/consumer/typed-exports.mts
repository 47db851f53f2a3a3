// Compiled with `tsc --noEmit` (module nodenext) against the installed tarballs: the ESM types resolve.
import { LlmInstrumentation, setupTelemetry, withGenAiContext, type SetupOptions, type Telemetry } from '@llm-otel/setup';
import type { LlmInstrumentationConfig } from '@llm-otel/instrumentation';
import { PiiMaskingSpanProcessor } from '@llm-otel/pii';
import { LlmSpanProcessor, type LlmSpanProcessorOptions } from '@llm-otel/processor';
import { BatchSpanProcessor, InMemorySpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import '@llm-otel/setup/register';

const options: SetupOptions = { serviceName: 'typed-esm', protocol: 'http/protobuf', pii: false, handleSignals: false };
const telemetry: Telemetry = setupTelemetry(options);
const config: LlmInstrumentationConfig = { captureContent: true };
const instrumentation: LlmInstrumentation = new LlmInstrumentation(config);
const answer: number = await withGenAiContext({ conversationId: 'c-1', agentName: 'refunds' }, async () => 42);
const processorOptions: LlmSpanProcessorOptions = { pii: { scanNumbers: true }, pendingSpanTimeoutMillis: 2000 };
const processor: SpanProcessor = new LlmSpanProcessor(new BatchSpanProcessor(new InMemorySpanExporter()), processorOptions);
void [instrumentation, answer, PiiMaskingSpanProcessor, processor];
await telemetry.shutdown();

// The option types are precise, not `any`: these must be rejected.
// @ts-expect-error unknown protocol
setupTelemetry({ protocol: 'http/json' });
// @ts-expect-error serviceName is a string
setupTelemetry({ serviceName: 42 });
// @ts-expect-error pendingSpanTimeoutMillis is a number
new LlmSpanProcessor(processor, { pendingSpanTimeoutMillis: '5s' });
