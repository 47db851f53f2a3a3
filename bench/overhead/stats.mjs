/** The q-quantile (0..1) of the samples, nearest-rank. */
export function quantile(samples, q) {
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** Median and p99 of per-call microseconds. */
export function summarise(samples) {
  return { median: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
}
