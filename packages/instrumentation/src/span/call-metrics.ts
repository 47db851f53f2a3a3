import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import * as semconv from '../semconv';

// Bucket boundaries from the GenAI semantic conventions (v1.41) for each client metric.
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const FIRST_CHUNK_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

/** The GenAI client metrics of the semantic conventions, plus a cost counter of our own. */
export class CallMetrics {
  private readonly tokenUsage: Histogram;
  private readonly duration: Histogram;
  private readonly timeToFirstChunk: Histogram;
  private readonly cost: Counter;

  constructor(meter: Meter) {
    this.tokenUsage = meter.createHistogram(semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE, {
      description: 'Number of input and output tokens used',
      unit: '{token}',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
    this.duration = meter.createHistogram(semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION, {
      description: 'GenAI operation duration',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.timeToFirstChunk = meter.createHistogram(semconv.METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK, {
      description: 'Time to receive the first chunk of a streamed response',
      unit: 's',
      advice: { explicitBucketBoundaries: FIRST_CHUNK_BUCKETS },
    });
    this.cost = meter.createCounter(semconv.METRIC_LLM_OTEL_COST, { description: 'Cost of GenAI calls', unit: 'USD' });
  }

  record(call: {
    attributes: Attributes;
    durationSeconds: number;
    timeToFirstChunkSeconds?: number;
    inputTokens?: number;
    outputTokens?: number;
    cost?: number;
  }): void {
    const { attributes } = call;
    this.duration.record(call.durationSeconds, attributes);
    if (call.timeToFirstChunkSeconds !== undefined) this.timeToFirstChunk.record(call.timeToFirstChunkSeconds, attributes);
    if (call.inputTokens !== undefined) this.tokenUsage.record(call.inputTokens, withTokenType(attributes, 'input'));
    if (call.outputTokens !== undefined) this.tokenUsage.record(call.outputTokens, withTokenType(attributes, 'output'));
    if (call.cost !== undefined) this.cost.add(call.cost, attributes);
  }
}

function withTokenType(attributes: Attributes, type: 'input' | 'output'): Attributes {
  const result = Object.assign({}, attributes);
  result[semconv.ATTR_GEN_AI_TOKEN_TYPE] = type;
  return result;
}
