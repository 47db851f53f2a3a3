// The four variants of the peer benchmark, each set up the way its own documentation says: an
// OpenTelemetry tracer provider with SimpleSpanProcessor + InMemorySpanExporter for everyone (so
// every variant pays the same span processing and export), the instrumentation registered, then
// `openai` loaded with CommonJS `require` (the peers patch the module as it is required, through
// require-in-the-middle) and a client constructed (the SDK captures `globalThis.fetch` then).
import { createRequire } from 'node:module';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const require = createRequire(import.meta.url);

function tracing() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(tracerProvider);
  return { exporter, tracerProvider };
}

/** What each variant registers before `openai` is required; `baseURL` is the provider's. */
const REGISTER = {
  baseline: () => undefined,
  'llm-otel': async (tracerProvider, baseURL) => {
    const { LlmInstrumentation } = await import('@llm-otel/instrumentation');
    // Over loopback the stand-in is registered as OpenAI, as api.openai.com is in-process.
    const providers = baseURL.startsWith('https://api.openai.com') ? [] : [{ baseUrl: baseURL, name: 'openai' }];
    const instrumentation = new LlmInstrumentation({ providers });
    instrumentation.setTracerProvider(tracerProvider);
    instrumentation.enable();
  },
  openllmetry: (tracerProvider) => {
    const { OpenAIInstrumentation } = require('@traceloop/instrumentation-openai');
    const instrumentation = new OpenAIInstrumentation();
    instrumentation.setTracerProvider(tracerProvider);
    instrumentation.enable();
  },
  openinference: (tracerProvider) => {
    const { OpenAIInstrumentation } = require('@arizeai/openinference-instrumentation-openai');
    const instrumentation = new OpenAIInstrumentation({ tracerProvider });
    instrumentation.enable();
  },
};

export const VARIANTS = Object.keys(REGISTER);
export const PEERS = ['openllmetry', 'openinference'];

/** Sets up one variant; resolves with its client and its span exporter. */
export async function setUpVariant(name, baseURL) {
  const { exporter, tracerProvider } = tracing();
  await REGISTER[name](tracerProvider, baseURL);
  const { OpenAI } = require('openai');
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL, maxRetries: 0 });
  return { client, exporter, tracerProvider };
}
