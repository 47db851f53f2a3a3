import type { Attributes, Context } from '@opentelemetry/api';
import * as semconv from '../semconv';
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
  /** The context the call was made in (getGenAiContext reads agent, conversation and user ids from it). */
  readonly context?: Context;
}

/** What a finished call knows, typed, from which its summary is made. */
export interface FinishedCall {
  /** The call's base attributes (start-attributes.ts). */
  baseAttributes: Attributes;
  responseModel: string | undefined;
  /** Set when the call failed. */
  errorType: string | undefined;
  startTime: number;
  endTime: number;
  streamed: boolean;
  firstEventAt: number | undefined;
  chunkGaps: ChunkGaps | undefined;
  usage: Usage | undefined;
  usageEstimated: boolean;
  cost: number | undefined;
  estimatesInTokenUsage: boolean;
  context?: Context;
}

export function summariseCall(call: FinishedCall): CallSummary {
  const attributes: Attributes = Object.assign({}, call.baseAttributes);
  if (call.responseModel !== undefined) attributes[semconv.ATTR_GEN_AI_RESPONSE_MODEL] = call.responseModel;
  if (call.errorType !== undefined) attributes[semconv.ATTR_ERROR_TYPE] = call.errorType;
  return {
    attributes,
    durationSeconds: (call.endTime - call.startTime) / 1000,
    timeToFirstChunkSeconds: call.streamed && call.firstEventAt !== undefined ? (call.firstEventAt - call.startTime) / 1000 : undefined,
    chunkGaps: call.streamed ? call.chunkGaps : undefined,
    usage: call.usage,
    usageEstimated: call.usageEstimated,
    cost: call.cost,
    estimatesInTokenUsage: call.estimatesInTokenUsage,
    context: call.context,
  };
}
