import type { ExportOutcome } from './behaviour';
import type { ReceivedSpan } from './types';

/** What a transport server hands every export call to: the receiver's store and behaviour. */
export interface ExportSink {
  /** Decides the fate of the next export call (and counts it when it is rejected). */
  nextOutcome(): ExportOutcome;
  /** Stores the decoded spans of an accepted export call. */
  accept(spans: ReceivedSpan[]): void;
}
