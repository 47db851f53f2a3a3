import { injectIntoMeta } from './meta-injection';

/** The caller's body with trace context in `params._meta`, of the same type; or why it is left untouched. */
export type Rewrite = { body: string | Uint8Array | ArrayBuffer } | { untouched: string };

// Fatal: a body that is not valid UTF-8 would not survive decode + encode byte for byte.
// ignoreBOM: a BOM is kept in the text (JSON.parse then refuses it, so such a body is never changed).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/**
 * Rewrites a request body the hooks can read synchronously: a string, a Uint8Array (Buffer
 * included) or an ArrayBuffer, of at most `maxBytes`. Anything else (streams, Blob, FormData,
 * URLSearchParams, other typed arrays) is never read and left untouched.
 */
export function rewriteBody(body: unknown, maxBytes: number, fields: Readonly<Record<string, string>>): Rewrite {
  let text: string;
  if (typeof body === 'string') {
    if (body.length > maxBytes) return { untouched: 'the body is larger than maxRequestBodyBytes' };
    text = body;
  } else if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
    if (body.byteLength > maxBytes) return { untouched: 'the body is larger than maxRequestBodyBytes' };
    try {
      text = strictUtf8.decode(body);
    } catch {
      return { untouched: 'the body is not UTF-8' };
    }
  } else {
    return { untouched: 'the body is not a string or bytes' };
  }
  try {
    JSON.parse(text);
  } catch {
    return { untouched: 'the body is not JSON' };
  }
  const injected = injectIntoMeta(text, fields);
  if ('untouched' in injected) return injected;
  if (typeof body === 'string') return { body: injected.text };
  const bytes = encoder.encode(injected.text);
  if (body instanceof ArrayBuffer) return { body: bytes.buffer };
  return { body: Buffer.isBuffer(body) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes };
}
