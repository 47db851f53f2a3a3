import { createHmac, hash } from 'node:crypto';
import type { Attributes } from '@opentelemetry/api';
import * as semconv from '../semconv';
import { canonicalJson } from './canonical-json';
import type { FingerprintKey } from './fingerprint-key';

/** Version of the fingerprinted document (docs/request-fingerprint.md); a change of its rules bumps it. */
export const FINGERPRINT_VERSION = 1;

/**
 * What a fingerprint covers (docs/request-fingerprint.md): the request body as sent, minus the
 * top-level members the protocol says do not determine the answer (`nonDeterminingFields`: `stream`,
 * `user`, `metadata`, ...), plus the protocol and the model (Gemini names it in the URL, not the body).
 */
export function fingerprintDocument(protocol: string, model: string | undefined, body: unknown, nonDetermining: readonly string[] | undefined): unknown {
  let request = body;
  if (nonDetermining && nonDetermining.length > 0 && body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const kept: Record<string, unknown> = {};
    for (const key of Object.keys(body)) if (!nonDetermining.includes(key)) kept[key] = (body as Record<string, unknown>)[key];
    request = kept;
  }
  return { llm_otel_fingerprint: FINGERPRINT_VERSION, model: model ?? null, protocol, request };
}

/** The span attributes of a fingerprint: HMAC-SHA256 under the key, else plain SHA-256, said so. */
export function fingerprintAttributes(document: unknown, key: FingerprintKey | undefined): Attributes {
  const canonical = canonicalJson(document);
  if (key) {
    return {
      [semconv.ATTR_LLM_OTEL_REQUEST_FINGERPRINT]: createHmac('sha256', key.key).update(canonical, 'utf8').digest('hex'),
      [semconv.ATTR_LLM_OTEL_REQUEST_FINGERPRINT_ALGORITHM]: 'hmac-sha256',
      [semconv.ATTR_LLM_OTEL_REQUEST_FINGERPRINT_KEY_ID]: key.keyId,
    };
  }
  return {
    // One-shot (Node 20.12+): no Hash object, whose native half the GC must also collect (issue 11).
    [semconv.ATTR_LLM_OTEL_REQUEST_FINGERPRINT]: hash('sha256', canonical, 'hex'),
    [semconv.ATTR_LLM_OTEL_REQUEST_FINGERPRINT_ALGORITHM]: 'sha256',
  };
}
