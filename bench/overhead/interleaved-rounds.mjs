import { CALL_KINDS } from './openai-calls.mjs';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Times the same SDK calls under two variants in alternating rounds, so that drift of the machine
 * (frequency, other processes, heap growth) hits both variants alike. A round is `roundSize` calls
 * of one kind under one variant; for every kind the variants take turns A B, then B A, and so on.
 *
 * Per call, µs:
 * - `wait`: wall clock until the caller has its result (the stream read to its end);
 * - `total`: wall clock until one event-loop turn later. The instrumentation ends its span in a
 *   setImmediate after the last byte (so the caller is not kept waiting for it); `total` charges
 *   that work to the call that caused it instead of letting it fall between calls unmeasured.
 *
 * @param {object} options
 * @param {import('openai').OpenAI} options.client
 * @param {{ baseline: () => void, instrumented: () => void }} options.switchTo makes a variant current
 * @param {number} options.warmupCalls per variant and kind, not recorded
 * @param {number} options.callsPerVariant per variant and kind, recorded
 * @param {number} options.roundSize calls in one round
 * @param {() => Promise<void>} options.onWarmedUp runs between the warm-up and the measured rounds
 */
export async function measureInterleaved({ client, switchTo, warmupCalls, callsPerVariant, roundSize, onWarmedUp }) {
  await runRounds({ client, switchTo, calls: warmupCalls, roundSize, samples: undefined });
  await onWarmedUp();
  const samples = {
    baseline: emptySamples(callsPerVariant),
    instrumented: emptySamples(callsPerVariant),
  };
  await runRounds({ client, switchTo, calls: callsPerVariant, roundSize, samples });
  return samples;
}

function emptySamples(calls) {
  return Object.fromEntries(CALL_KINDS.map((kind) => [kind.name, { wait: new Float64Array(calls), total: new Float64Array(calls), calls: 0 }]));
}

async function runRounds({ client, switchTo, calls, roundSize, samples }) {
  for (let round = 0, done = 0; done < calls; round++, done += roundSize) {
    const size = Math.min(roundSize, calls - done);
    const order = round % 2 === 0 ? ['baseline', 'instrumented'] : ['instrumented', 'baseline'];
    for (const kind of CALL_KINDS) {
      for (const variant of order) {
        switchTo[variant]();
        const slot = samples?.[variant][kind.name];
        await runRound(client, kind.call, size, slot);
      }
    }
  }
}

async function runRound(client, call, size, slot) {
  for (let i = 0; i < size; i++) {
    const start = performance.now();
    await call(client);
    const answered = performance.now();
    await nextTurn();
    const settled = performance.now();
    if (slot) {
      slot.wait[slot.calls] = (answered - start) * 1000;
      slot.total[slot.calls] = (settled - start) * 1000;
      slot.calls++;
    }
  }
}
