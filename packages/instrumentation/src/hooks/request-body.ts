/**
 * The text of a request body we can read without consuming anything the caller needs: strings and
 * byte buffers only, up to `maxBytes`. Streams, FormData and Blobs are never read (that would consume
 * or buffer the caller's body); undefined then.
 */
export function requestBodyText(body: unknown, maxBytes: number, sink?: BodyBoundSink): string | undefined {
  let size: number;
  if (typeof body === 'string') size = body.length;
  else if (body instanceof Uint8Array || body instanceof ArrayBuffer) size = body.byteLength;
  else return undefined;
  if (size > maxBytes) {
    if (sink) sink.bodyOverBound = true;
    return undefined;
  }
  return typeof body === 'string' ? body : new TextDecoder().decode(body);
}

/** The JSON of a request body `requestBodyText` can read; the call is traced without request attributes otherwise. */
export function parseRequestBody(body: unknown, maxBytes: number, sink?: BodyBoundSink): unknown {
  const text = requestBodyText(body, maxBytes, sink);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The chunks a tapped request body produced, as one buffer (undefined when there were none). */
export function joinChunks(chunks: readonly Uint8Array[]): Uint8Array | undefined {
  if (chunks.length === 0) return undefined;
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

/** Told when a body was not parsed because it is over the bound (the request fingerprint says why it is missing). */
export interface BodyBoundSink {
  bodyOverBound?: boolean;
}
