import { diag } from '@opentelemetry/api';
import { SEMCONV_OPT_IN_GEN_AI_LATEST } from '../semconv';

/** Which names the instrumentation emits, read once per instrumentation (when it is constructed). */
export interface SemconvStability {
  /**
   * `OTEL_SEMCONV_STABILITY_OPT_IN` lists `gen_ai_latest_experimental`: emit the names of the GenAI
   * conventions repository where they differ from v1.41 (CHANGELOG.md lists each).
   */
  readonly genAiLatest: boolean;
}

/**
 * Parses OTEL_SEMCONV_STABILITY_OPT_IN, a comma-separated list (the specification's format: values
 * are trimmed, unknown ones ignored). Never throws: a malformed value means no opt-in.
 */
export function readSemconvStability(value: string | undefined = process.env.OTEL_SEMCONV_STABILITY_OPT_IN): SemconvStability {
  const entries = (value ?? '').split(',').map((entry) => entry.trim().toLowerCase());
  const genAiLatest = entries.includes(SEMCONV_OPT_IN_GEN_AI_LATEST);
  if (genAiLatest) diag.debug('llm-otel: emitting the GenAI conventions repository names (gen_ai_latest_experimental)');
  return { genAiLatest };
}

export const DEFAULT_SEMCONV_STABILITY: SemconvStability = { genAiLatest: false };
