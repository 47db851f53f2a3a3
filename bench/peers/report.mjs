import { CALL_KINDS } from '../overhead/openai-calls.mjs';
import { quantile } from '../overhead/stats.mjs';
import { PEERS, VARIANTS } from './variants.mjs';

const median = (values) => quantile(values, 0.5);
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / (values.length || 1);
const fixed = (value, width, digits = 1) => value.toFixed(digits).padStart(width);

/** One variant's numbers for one call kind, from its per-process results (one per round). */
function summariseVariant(runs, kind) {
  const all = runs.flatMap((run) => run.samples[kind]);
  const spans = runs.reduce((sum, run) => sum + run.spans[kind].count, 0);
  const calls = runs.reduce((sum, run) => sum + run.samples[kind].length, 0);
  const attributes = runs.reduce((sum, run) => sum + run.spans[kind].attributes, 0);
  const events = runs.reduce((sum, run) => sum + run.spans[kind].events, 0);
  return {
    median: median(all),
    // The mean pays the collection pauses that land on one call in a hundred; the median does not.
    mean: mean(all),
    p99: quantile(all, 0.99),
    roundMedians: runs.map((run) => median(run.samples[kind])),
    cpu: median(runs.map((run) => run.cpuPerCall[kind])),
    calls,
    spans,
    attributesPerSpan: attributes / (spans || 1),
    eventsPerSpan: events / (spans || 1),
    names: [...new Set(runs.flatMap((run) => run.spans[kind].names))],
  };
}

/**
 * Prints one mode: per call kind and variant, the median, mean and p99 per call, the added median (and
 * its spread: the lowest and highest of the per-round differences to that round's baseline), the
 * ratio to the baseline (and the lowest and highest per-round ratio), llm-otel's added time over the best peer's, the CPU per call, and the
 * spans each variant produced. Returns true when a variant failed (not one span per call).
 */
export function printMode(title, description, results) {
  console.log(`\n== ${title} ==`);
  console.log(description);
  let failed = false;
  for (const { name: kind, label } of CALL_KINDS) {
    const rows = Object.fromEntries(VARIANTS.map((variant) => [variant, summariseVariant(results[variant], kind)]));
    const base = rows.baseline;
    const added = (variant) => rows[variant].median - base.median;
    const bestPeer = PEERS.reduce((best, peer) => (added(peer) < added(best) ? peer : best));
    console.log(`\n${label}: µs per call (all rounds' calls pooled); added = variant − baseline`);
    console.log(
      `${'variant'.padEnd(14)} ${'median'.padStart(8)} ${'mean'.padStart(8)} ${'p99'.padStart(8)} ${'added'.padStart(8)} ${'added per round (min..max)'.padStart(28)} ` +
        `${'×base'.padStart(7)} ${'per round'.padStart(13)} ${'CPU/call'.padStart(9)} ${'+CPU'.padStart(7)}  spans/call  attrs/span  events/span`,
    );
    for (const variant of VARIANTS) {
      const row = rows[variant];
      const perRound = row.roundMedians.map((value, i) => value - base.roundMedians[i]);
      const ratios = row.roundMedians.map((value, i) => value / base.roundMedians[i]);
      const spansPerCall = row.spans / row.calls;
      const noSpans = variant !== 'baseline' && row.spans !== row.calls;
      if (noSpans) failed = true;
      console.log(
        `${variant.padEnd(14)} ${fixed(row.median, 8)} ${fixed(row.mean, 8)} ${fixed(row.p99, 8)} ${fixed(added(variant), 8)} ` +
          `${`${fixed(Math.min(...perRound), 8)} .. ${fixed(Math.max(...perRound), 8)}`.padStart(28)} ${fixed(row.median / base.median, 7, 3)} ` +
          `${`${Math.min(...ratios).toFixed(2)}..${Math.max(...ratios).toFixed(2)}`.padStart(13)} ` +
          `${fixed(row.cpu, 9)} ${fixed(row.cpu - base.cpu, 7)}  ${fixed(spansPerCall, 10, 2)}  ${fixed(row.attributesPerSpan, 10)}  ${fixed(row.eventsPerSpan, 11)}` +
          `${noSpans ? '   FAILED: not one span per call' : ''}`,
      );
    }
    const ratio = added('llm-otel') / added(bestPeer);
    console.log(
      `llm-otel added ${fixed(added('llm-otel'), 1)} µs vs best peer (${bestPeer}) ${fixed(added(bestPeer), 1)} µs: ${ratio.toFixed(2)}× ` +
        `(${ratio < 1 ? 'below' : 'NOT below'} every peer); mean added ${fixed(rows['llm-otel'].mean - base.mean, 1)} vs ${fixed(rows[bestPeer].mean - base.mean, 1)} µs; ` +
        `CPU added ${fixed(rows['llm-otel'].cpu - base.cpu, 1)} vs ${fixed(rows[bestPeer].cpu - base.cpu, 1)} µs`,
    );
    console.log(
      `span names: ${VARIANTS.filter((v) => v !== 'baseline')
        .map((v) => `${v} ${JSON.stringify(rows[v].names)}`)
        .join(', ')}`,
    );
  }
  return failed;
}
