import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import * as semconv from '../semconv';
import type { CallSummary } from './call-summary';
import { CHUNK_GAP_BUCKETS } from './chunk-gaps';

// Bucket boundaries from the GenAI semantic conventions (v1.41) for each client metric.
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
// semantic-conventions v1.41.0 docs/gen-ai/mcp.md, "Metric: mcp.client.operation.duration".
const MCP_DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
const FIRST_CHUNK_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

/**
 * The GenAI client metrics of the semantic conventions, plus metrics of our own for cost and for
 * estimated tokens. Semconv: a token count from offline counting MUST NOT go to
 * `gen_ai.client.token.usage` unless the user enabled it, so estimates have their own histogram
 * (`llm_otel.client.token.usage.estimated`, same buckets and attributes) and dashboards can still
 * set estimated against exact.
 */
export class CallMetrics {
  private readonly tokenUsage: Histogram;
  private readonly estimatedTokenUsage: Histogram;
  private readonly duration: Histogram;
  private readonly timeToFirstChunk: Histogram;
  private readonly timePerOutputChunk: Histogram;
  private readonly cost: Counter;
  private readonly mcpDuration: Histogram;

  constructor(meter: Meter) {
    this.tokenUsage = meter.createHistogram(semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE, {
      description: 'Number of input and output tokens used',
      unit: '{token}',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
    this.estimatedTokenUsage = meter.createHistogram(semconv.METRIC_LLM_OTEL_CLIENT_TOKEN_USAGE_ESTIMATED, {
      description: 'Number of input and output tokens counted with a tokenizer because the provider reported none',
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
    this.timePerOutputChunk = meter.createHistogram(semconv.METRIC_GEN_AI_CLIENT_TIME_PER_OUTPUT_CHUNK, {
      description: 'Time per output chunk of a streamed response, after the first',
      unit: 's',
      advice: { explicitBucketBoundaries: CHUNK_GAP_BUCKETS },
    });
    // UCUM has no currency units: `{USD}` is an annotation, as semconv writes `{token}`.
    this.cost = meter.createCounter(semconv.METRIC_LLM_OTEL_COST, { description: 'Cost of GenAI calls in US dollars', unit: '{USD}' });
    this.mcpDuration = meter.createHistogram(semconv.METRIC_MCP_CLIENT_OPERATION_DURATION, {
      description: 'The duration of the MCP request or notification as observed on the sender from the time it was sent until the response or ack is received',
      unit: 's',
      advice: { explicitBucketBoundaries: MCP_DURATION_BUCKETS },
    });
  }

  /** One MCP request or notification (mcp/mcp-call.ts). */
  recordMcp(durationSeconds: number, attributes: Attributes): void {
    this.mcpDuration.record(durationSeconds, attributes);
  }

  record(call: CallSummary): void {
    const { attributes } = call;
    this.duration.record(call.durationSeconds, attributes);
    if (call.timeToFirstChunkSeconds !== undefined) this.timeToFirstChunk.record(call.timeToFirstChunkSeconds, attributes);
    call.chunkGaps?.forEachMeasurement((seconds) => this.timePerOutputChunk.record(seconds, attributes));
    this.recordTokens(call);
    if (call.cost !== undefined) {
      const costAttributes = Object.assign({}, attributes);
      costAttributes[semconv.ATTR_LLM_OTEL_USAGE_ESTIMATED] = call.usageEstimated;
      this.cost.add(call.cost, costAttributes);
    }
  }

  private recordTokens(call: CallSummary): void {
    const usage = call.usage;
    if (!usage) return;
    const histograms = call.usageEstimated ? [this.estimatedTokenUsage] : [this.tokenUsage];
    if (call.usageEstimated && call.estimatesInTokenUsage) histograms.push(this.tokenUsage);
    for (const histogram of histograms) {
      if (usage.inputTokens !== undefined) histogram.record(usage.inputTokens, withTokenType(call.attributes, 'input'));
      if (usage.outputTokens !== undefined) histogram.record(usage.outputTokens, withTokenType(call.attributes, 'output'));
    }
  }
}

function withTokenType(attributes: Attributes, type: 'input' | 'output'): Attributes {
  const result = Object.assign({}, attributes);
  result[semconv.ATTR_GEN_AI_TOKEN_TYPE] = type;
  return result;
}
