const pause = (millis) => new Promise((resolve) => (millis > 0 ? setTimeout(resolve, millis) : setImmediate(resolve)));

/** Attributes of a typical LLM client span (content capture off); `i` makes the response id unique. */
export function typicalLlmAttributes(i) {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.response.id': `chatcmpl-${i}`,
    'gen_ai.response.finish_reasons': ['stop'],
    'gen_ai.usage.input_tokens': 812,
    'gen_ai.usage.output_tokens': 164,
    'gen_ai.usage.cost': 0.0002202,
    'server.address': 'api.openai.com',
    'server.port': 443,
  };
}

function endLlmSpan(tracer, i) {
  tracer.startSpan('chat gpt-4o-mini', { kind: 2, attributes: typicalLlmAttributes(i) }).end();
}

/**
 * Ends `spans` spans in rounds of `roundSize`, pausing `pauseMillis` between rounds (0: one event-loop
 * turn), then waits until the receiver has them all or stops receiving. Returns spans delivered, wall
 * time, spans per second delivered, and this process's CPU time per span ended.
 */
export async function runScenario(pipeline, receiver, { spans, roundSize, pauseMillis }) {
  await receiver.clear();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < spans; i++) {
    endLlmSpan(pipeline.tracer, i);
    if ((i + 1) % roundSize === 0) await pause(pauseMillis);
  }
  await pipeline.processor.forceFlush();
  const delivered = await receiver.settle(spans);
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  return { delivered, seconds, spansPerSecond: delivered / seconds, cpuMicrosPerSpan: (user + system) / spans };
}

export function percentiles(durationsNs, count) {
  const sorted = Float64Array.from(durationsNs.subarray(0, count)).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1000;
  return { median: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] / 1000 };
}
