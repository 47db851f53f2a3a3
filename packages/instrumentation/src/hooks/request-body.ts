/**
 * The JSON of a request body we can read without consuming anything the caller needs: strings and
 * byte buffers only. Streams, FormData and Blobs are never read (that would consume or buffer the
 * caller's body); the call is then traced without request attributes.
 */
export function parseRequestBody(body: unknown, maxBytes: number): unknown {
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) text = body.byteLength <= maxBytes ? new TextDecoder().decode(body) : undefined;
  else if (body instanceof ArrayBuffer) text = body.byteLength <= maxBytes ? new TextDecoder().decode(body) : undefined;
  if (text === undefined || text.length > maxBytes) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Joins the chunks a tapped request body produced, and parses them. */
export function parseBodyChunks(chunks: readonly Uint8Array[], maxBytes: number): unknown {
  if (chunks.length === 0) return undefined;
  return parseRequestBody(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), maxBytes);
}
