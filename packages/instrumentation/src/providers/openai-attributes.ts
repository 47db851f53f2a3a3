import type { Attributes } from '@opentelemetry/api';
import * as semconv from '../semconv';

/**
 * `openai.response.service_tier` and `.system_fingerprint`, where the response carries them (semconv
 * v1.41 recommends both for OpenAI; `system_fingerprint: null` is left out).
 */
export function openAiResponseAttributes(serviceTier: string | undefined, systemFingerprint: string | undefined): Attributes | undefined {
  if (serviceTier === undefined && systemFingerprint === undefined) return undefined;
  const attributes: Attributes = {};
  if (serviceTier !== undefined) attributes[semconv.ATTR_OPENAI_RESPONSE_SERVICE_TIER] = serviceTier;
  if (systemFingerprint !== undefined) attributes[semconv.ATTR_OPENAI_RESPONSE_SYSTEM_FINGERPRINT] = systemFingerprint;
  return attributes;
}
