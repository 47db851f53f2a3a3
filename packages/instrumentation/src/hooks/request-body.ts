/**
 * The text of a request body we can read without consuming anything the caller needs: strings and
 * byte buffers only, up to `maxBytes`. Streams, FormData and Blobs are never read (that would consume
 * or buffer the caller's body); undefined then.
 */
export function requestBodyText(body: unknown, maxBytes: number): string | undefined {
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) text = body.byteLength <= maxBytes ? new TextDecoder().decode(body) : undefined;
  else if (body instanceof ArrayBuffer) text = body.byteLength <= maxBytes ? new TextDecoder().decode(body) : undefined;
  return text === undefined || text.length > maxBytes ? undefined : text;
}

/** The JSON of a request body `requestBodyText` can read; the call is traced without request attributes otherwise. */
export function parseRequestBody(body: unknown, maxBytes: number): unknown {
  const text = requestBodyText(body, maxBytes);
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

