import { measureInterleaved } from './interleaved-rounds.mjs';

/**
 * Times the SDK calls with and without the instrumentation of `pipeline`, interleaved, and proves
 * the instrumented calls made their spans.
 * @param {ReturnType<typeof import('./instrumented-pipeline.mjs').startInstrumentation>} pipeline
 * @param {import('openai').OpenAI} client constructed after the instrumentation was enabled
 * @param {{ warmupCalls: number, callsPerVariant: number, roundSize: number }} plan
 */
export async function measureOverhead(pipeline, client, plan) {
  const samples = await measureInterleaved({
    client,
    switchTo: variantSwitch(pipeline.instrumentation),
    ...plan,
    onWarmedUp: async () => {
      await pipeline.flush();
      pipeline.exporter.reset();
    },
  });
  const spans = await assertSpans(pipeline, plan.callsPerVariant);
  return { samples, spans, roundSize: plan.roundSize };
}

/**
 * Baseline and instrumented share one client and one code path; only whether our hooks are active
 * differs. The client captured the hooked fetch at construction: disable() leaves that wrapper in
 * it, passing straight through while inactive (one extra call frame), and takes the undici
 * dispatcher out. Two clients (one constructed with the bare fetch) would differ in more than our
 * work: in loopback mode the "bare" client would still be seen by our global undici dispatcher.
 */
function variantSwitch(instrumentation) {
  return {
    baseline: () => instrumentation.disable(),
    instrumented: () => instrumentation.enable(),
  };
}

/** Throws unless exactly `expected` complete spans per call kind reached the exporter. */
async function assertSpans(pipeline, expected) {
  await pipeline.flush();
  const { counts, defects } = pipeline.exporter;
  if (counts.plain !== expected || counts.stream !== expected || defects.length > 0) {
    throw new Error(
      `the instrumented calls did not produce ${expected} complete spans per kind: ` +
        `${counts.plain} plain, ${counts.stream} stream${defects.length ? `; ${defects.join('; ')}` : ''}`,
    );
  }
  return { ...counts };
}
