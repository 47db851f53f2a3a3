import type { Attributes } from '@opentelemetry/api';
import type { Usage } from '../providers/adapter';
import type { ChunkGaps } from './chunk-gaps';

/**
 * What the metrics of one finished call are recorded from: typed values, not span attributes read
 * back (a rename of a span attribute must not change a metric, issue 11).
 */
export interface CallSummary {
  /** The attributes every metric point of the call carries (operation, provider, models, server, error.type). */
  readonly attributes: Attributes;
  readonly durationSeconds: number;
  /** Streams only. */
  readonly timeToFirstChunkSeconds?: number;
  /** Streams only: the time between consecutive chunks. */
  readonly chunkGaps?: ChunkGaps;
  /** The provider's counts, or a tokenizer's estimate when `usageEstimated`. */
  readonly usage?: Usage;
  readonly usageEstimated: boolean;
  /** USD, computed from `usage` (so estimated when the usage is). */
  readonly cost?: number;
  /** The user opted in to estimated counts in `gen_ai.client.token.usage` (semconv: offline counting MAY be enabled). */
  readonly estimatesInTokenUsage: boolean;
}
