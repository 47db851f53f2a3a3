/**
 * The JSON of a request body we can read without consuming anything the caller needs: strings and
 * byte buffers only. Streams, FormData and Blobs are never read (that would consume or buffer the
 * caller's body); the call is then traced without request attributes.
 */
export function parseRequestBody(body: unknown, maxBytes: number, sink?: BodyBoundSink): unknown {
  let size: number;
  if (typeof body === 'string') size = body.length;
  else if (body instanceof Uint8Array || body instanceof ArrayBuffer) size = body.byteLength;
  else return undefined;
  if (size > maxBytes) {
    if (sink) sink.bodyOverBound = true;
    return undefined;
  }
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Joins the chunks a tapped request body produced, and parses them. */
export function parseBodyChunks(chunks: readonly Uint8Array[], maxBytes: number, sink?: BodyBoundSink): unknown {
  if (chunks.length === 0) return undefined;
  return parseRequestBody(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), maxBytes, sink);
}

/** Told when a body was not parsed because it is over the bound (the request fingerprint says why it is missing). */
export interface BodyBoundSink {
  bodyOverBound?: boolean;
}
