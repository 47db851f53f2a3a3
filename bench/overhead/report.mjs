import { CALL_KINDS } from './openai-calls.mjs';
import { quantile, summarise } from './stats.mjs';

/** In-process aims of issue 11, µs of added median time per call (span ended). */
export const IN_PROCESS_TARGETS = { plain: 20, stream: 60 };

const MEASURES = [
  { key: 'total', title: 'until one event-loop turn after the result (the span has ended)' },
  { key: 'wait', title: 'until the caller has its result (span end still pending)' },
];

const us = (value) => value.toFixed(1).padStart(8);

/** Baseline, instrumented, added and ratio per measure and call kind. */
export function overheadOf(samples) {
  return Object.fromEntries(
    MEASURES.map(({ key }) => [
      key,
      Object.fromEntries(
        CALL_KINDS.map(({ name }) => {
          const baseline = summarise(samples.baseline[name][key]);
          const instrumented = summarise(samples.instrumented[name][key]);
          return [
            name,
            {
              baseline,
              instrumented,
              added: { median: instrumented.median - baseline.median, p99: instrumented.p99 - baseline.p99 },
              ratio: instrumented.median / baseline.median,
            },
          ];
        }),
      ),
    ]),
  );
}

/** Prints one mode's table; returns its overhead. */
export function printMode(title, description, result) {
  const overhead = overheadOf(result.samples);
  console.log(`\n== ${title} ==`);
  console.log(description);
  console.log(`                       baseline µs/call    instrumented µs/call   added µs/call        ratio`);
  console.log(`                       median      p99     median      p99        median      p99      (median)`);
  for (const { key, title: measure } of MEASURES) {
    console.log(measure);
    for (const { name, label } of CALL_KINDS) {
      const row = overhead[key][name];
      console.log(
        `  ${label.padEnd(18)} ${us(row.baseline.median)} ${us(row.baseline.p99)}   ${us(row.instrumented.median)} ${us(row.instrumented.p99)}   ` +
          `${us(row.added.median)} ${us(row.added.p99)}    ${row.ratio.toFixed(3)}`,
      );
    }
  }
  // The fastest calls are the ones the rest of the machine disturbed least.
  const fastest = CALL_KINDS.map(({ name, label }) => {
    const baseline = quantile(result.samples.baseline[name].total, 0.1);
    const instrumented = quantile(result.samples.instrumented[name].total, 0.1);
    return `${label} ${baseline.toFixed(1)} → ${instrumented.toFixed(1)} (+${(instrumented - baseline).toFixed(1)})`;
  });
  // Rounds of the two variants alternate, so each round pair saw the same machine: the spread of
  // the added median across pairs says how far one run's figure can be trusted.
  if (result.roundSize) {
    const spread = CALL_KINDS.map(({ name, label }) => {
      const added = addedPerRoundPair(result.samples.baseline[name].total, result.samples.instrumented[name].total, result.roundSize);
      return `${label} +${quantile(added, 0.25).toFixed(1)} … +${quantile(added, 0.75).toFixed(1)} (median +${quantile(added, 0.5).toFixed(1)}, ${added.length} pairs)`;
    });
    console.log(`added median per round pair, interquartile range across pairs, µs: ${spread.join('; ')}`);
  }
  console.log(`fastest decile (p10, least disturbed by other load), µs: ${fastest.join('; ')}`);
  console.log(`spans made by the instrumented calls: ${result.spans.plain} plain + ${result.spans.stream} stream, each with response id, usage and cost`);
  return overhead;
}

/** Prints whether the in-process targets are met. Informational: a miss does not fail the run. */
export function printTargets(overhead) {
  console.log('\n== targets: in-process added median per call, span ended (informational, never fails the run) ==');
  for (const { name, label } of CALL_KINDS) {
    const added = overhead.total[name].added.median;
    const target = IN_PROCESS_TARGETS[name];
    console.log(`${label.padEnd(18)} ${added.toFixed(1).padStart(7)} µs  (target ≤ ${target} µs): ${added <= target ? 'met' : 'NOT met'}`);
  }
}

/** Instrumented round median minus baseline round median, for each pair of rounds run back to back. */
function addedPerRoundPair(baseline, instrumented, roundSize) {
  const added = [];
  for (let start = 0; start + roundSize <= baseline.length; start += roundSize) {
    added.push(quantile(instrumented.subarray(start, start + roundSize), 0.5) - quantile(baseline.subarray(start, start + roundSize), 0.5));
  }
  return added;
}
