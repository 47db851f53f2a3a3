// What every SDK example shares, so that each example file shows only the SDK and llm-otel:
// - with no API key in the environment, a provider stand-in on 127.0.0.1 answers like the provider
//   (recorded and realistic bytes); with the key set (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY)
//   the SDK talks to the real API;
// - unless OTEL_EXPORTER_OTLP_ENDPOINT is set (e.g. to the Jaeger or Grafana stack of examples/), an
//   embedded OTLP receiver takes the spans and prints them as a tree, then one line per LLM span.
import { formatTraceTree, startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { startProviderStandIn } from '@llm-otel/provider-stand-in';
import { PROVIDERS } from './providers.mjs';

/**
 * @param {{ service: string, provider: keyof typeof PROVIDERS, llmCalls: number }} options
 *   `llmCalls`: how many LLM spans the example makes (printed as a check, and the exit code says).
 */
export async function startExample({ service, provider, llmCalls }) {
  const setup = PROVIDERS[provider];
  const apiKey = process.env[setup.keyVariable] || undefined;
  const standIn = apiKey ? undefined : await startProviderStandIn();
  for (const route of standIn ? setup.routes() : []) standIn.script(route);
  const receiver = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? undefined : await startOtlpReceiver();
  const baseUrl = standIn ? setup.baseUrl(standIn.url) : undefined;
  console.log(
    `${service}: ${standIn ? `provider stand-in at ${standIn.url} (set ${setup.keyVariable} for the real API)` : 'the real API'}; ` +
      `spans to ${receiver ? 'an embedded OTLP receiver' : process.env.OTEL_EXPORTER_OTLP_ENDPOINT}`,
  );
  return {
    /** Where the SDK should send requests (undefined: the SDK's default, the real API). */
    baseUrl,
    /** The key the SDK gets: the real one, or a placeholder the stand-in ignores. */
    apiKey: apiKey ?? 'stand-in',
    /** Options for setupTelemetry(): the receiver's endpoint, and the stand-in's provider name. */
    telemetry: {
      serviceName: service,
      ...(receiver ? { endpoint: receiver.grpcUrl, protocol: 'grpc' } : {}),
      ...(standIn ? { providers: [{ baseUrl, name: provider === 'gemini' ? 'gcp.gemini' : provider }] } : {}),
    },
    /** For apps with their own NodeSDK: the receiver's OTLP http/protobuf traces URL. */
    otlpTracesUrl: receiver?.httpUrl,
    /** Call after the telemetry was shut down (flushed): prints what arrived, closes everything. */
    async finish() {
      await standIn?.close();
      if (!receiver) return;
      const isLlm = (span) => span.attributes['gen_ai.provider.name'] !== undefined && span.attributes['llm_otel.hook'] !== undefined;
      const spans = await receiver.waitFor((received) => received.filter(isLlm).length >= llmCalls, 5000).catch(() => receiver.spans);
      await receiver.close();
      console.log(`\n${formatTraceTree(spans)}\n`);
      const llm = spans.filter(isLlm);
      for (const span of llm) console.log(describeLlmSpan(span));
      console.log(`${llm.length} of ${llmCalls} LLM spans received`);
      if (llm.length !== llmCalls) process.exitCode = 1;
    },
  };
}

/** One stable line per LLM span (the tree above is for people; this line is what the examples' test reads). */
function describeLlmSpan(span) {
  const a = span.attributes;
  const fields = [
    `provider=${a['gen_ai.provider.name']}`,
    `model=${a['gen_ai.response.model'] ?? a['gen_ai.request.model']}`,
    `input_tokens=${a['gen_ai.usage.input_tokens']}`,
    ...(a['gen_ai.usage.output_tokens'] === undefined ? [] : [`output_tokens=${a['gen_ai.usage.output_tokens']}`]),
    `cost=${a['gen_ai.usage.cost'] ?? 'unpriced'}`,
    `hook=${a['llm_otel.hook']}`,
  ];
  if (a['gen_ai.response.time_to_first_chunk'] !== undefined) fields.push(`ttfc=${Number(a['gen_ai.response.time_to_first_chunk']).toFixed(3)}s`);
  if (a['error.type'] !== undefined) fields.push(`error=${a['error.type']}`);
  return `LLM span  ${span.name}  ${fields.join('  ')}`;
}
