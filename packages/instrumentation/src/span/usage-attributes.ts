import type { Attributes } from '@opentelemetry/api';
import type { ModalityCounts, Usage, UsageModality } from '../providers/adapter';
import * as semconv from '../semconv';
import type { SemconvStability } from './semconv-stability';

/**
 * The span attributes of a call's usage. v1.41 names by default; with gen_ai_latest_experimental the
 * names of the GenAI conventions repository (cache writes as `cache_write`, per-modality counts).
 */
export function addUsageAttributes(attributes: Attributes, usage: Usage, stability: SemconvStability): void {
  setCount(attributes, semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS, usage.inputTokens);
  setCount(attributes, semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, usage.outputTokens);
  setCount(attributes, semconv.ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, usage.cacheReadInputTokens);
  const cacheWrite = stability.genAiLatest ? semconv.ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS : semconv.ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS;
  setCount(attributes, cacheWrite, usage.cacheCreationInputTokens);
  setCount(attributes, semconv.ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, usage.reasoningOutputTokens);
  setCount(attributes, semconv.ATTR_LLM_OTEL_USAGE_ACCEPTED_PREDICTION_OUTPUT_TOKENS, usage.acceptedPredictionOutputTokens);
  setCount(attributes, semconv.ATTR_LLM_OTEL_USAGE_REJECTED_PREDICTION_OUTPUT_TOKENS, usage.rejectedPredictionOutputTokens);
  // v1.41 has no per-modality usage: these exist only in the new repository.
  if (!stability.genAiLatest) return;
  addModalities(attributes, usage.inputByModality, 'input');
  addModalities(attributes, usage.outputByModality, 'output');
}

function addModalities(attributes: Attributes, counts: ModalityCounts | undefined, direction: 'input' | 'output'): void {
  if (!counts) return;
  for (const modality of Object.keys(counts) as UsageModality[]) {
    setCount(attributes, semconv.attrGenAiUsageModalityTokens(modality, direction), counts[modality]);
  }
}

function setCount(attributes: Attributes, key: string, value: number | undefined): void {
  if (value !== undefined) attributes[key] = value;
}
