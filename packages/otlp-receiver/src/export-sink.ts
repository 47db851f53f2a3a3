import type { ExportOutcome } from './behaviour';
import type { ReceivedLogRecord, ReceivedMetric, ReceivedRequest, ReceivedSpan } from './types';

/** What a transport server hands every export call to: the receiver's store and behaviour. */
export interface ExportSink {
  /** Records an export call's headers, before anything else is decided. */
  record(request: ReceivedRequest): void;
  /** Decides the fate of the next trace export call (and counts it when it is rejected). */
  nextOutcome(): ExportOutcome;
  /** The size limit (and the call counted as rejected) when a request of `bytes` is to be refused as too large. */
  refusesSize(bytes: number): number | undefined;
  /** Stores the decoded spans of an accepted export call. */
  accept(spans: ReceivedSpan[]): void;
  /** Stores the decoded metrics of a metrics export call. */
  acceptMetrics(metrics: ReceivedMetric[]): void;
  /** Stores the decoded records of a logs export call. */
  acceptLogs(records: ReceivedLogRecord[]): void;
}
