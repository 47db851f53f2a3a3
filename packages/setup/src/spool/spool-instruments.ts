import type { BatchObservableCallback, Meter } from '@opentelemetry/api';
import type { SpoolStats } from './spool-stats';

/** Reports the spool on a meter; returns the function that stops reporting. */
export function observeSpool(meter: Meter, stats: () => SpoolStats): () => void {
  const queued = meter.createObservableGauge('llm_otel.spool.queue.spans', {
    description: 'Spans ended but not yet written to the spool',
    unit: '{span}',
  });
  const bytes = meter.createObservableGauge('llm_otel.spool.bytes', {
    description: 'Bytes kept in the spool directory (waiting, rejected and quarantined batches)',
    unit: 'By',
  });
  const dropped = meter.createObservableCounter('llm_otel.spool.dropped.spans', {
    description: 'Spans lost to the spool bounds (maxBytes, maxAge) or to failed writes',
    unit: '{span}',
  });
  const callback: BatchObservableCallback = (result) => {
    const current = stats();
    result.observe(queued, current.queuedSpans);
    result.observe(bytes, current.spoolBytes);
    result.observe(dropped, current.droppedSpans);
  };
  meter.addBatchObservableCallback(callback, [queued, bytes, dropped]);
  return () => meter.removeBatchObservableCallback(callback, [queued, bytes, dropped]);
}
