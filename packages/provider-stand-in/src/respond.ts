import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import { constants as zlibConstants, createGzip, type Gzip } from 'node:zlib';
import { generatedChatCompletion } from './generated-body';
import type { ScriptedResponse } from './types';

type Chunk = string | Uint8Array;

/**
 * Sends a scripted response exactly as scripted. Stops writing as soon as the client goes away, and
 * respects backpressure, so a slow or vanished client costs no memory.
 */
export async function sendScripted(response: ServerResponse, scripted: ScriptedResponse): Promise<void> {
  if (scripted.hang) return; // the request stays open until the client or close() ends it

  const gone = new AbortController();
  response.once('close', () => gone.abort());

  const headers = lowerCaseKeys(scripted.headers);
  let body: Iterable<Chunk>;
  let byteLength: number | undefined;
  if (scripted.generatedJsonBytes !== undefined) {
    const generated = generatedChatCompletion(scripted.generatedJsonBytes);
    body = generated.pieces();
    byteLength = generated.byteLength;
    headers['content-type'] ??= 'application/json';
  } else if (scripted.chunks !== undefined) {
    body = scripted.chunks;
  } else if (scripted.body !== undefined) {
    body = [scripted.body];
    byteLength = Buffer.byteLength(scripted.body);
  } else {
    body = [];
    byteLength = 0;
  }
  if (scripted.gzip) {
    headers['content-encoding'] = 'gzip';
    byteLength = undefined;
  }
  // Chunked framing makes a cut-off body detectable by the client even when nothing was sent yet.
  if (scripted.destroyAfterChunks !== undefined) byteLength = undefined;
  if (byteLength !== undefined && headers['content-length'] === undefined) {
    headers['content-length'] = String(byteLength);
  }
  response.writeHead(scripted.status ?? 200, headers);
  response.flushHeaders();

  const writer = scripted.gzip ? new GzipWriter(response) : new PlainWriter(response);
  const destroyAfter = scripted.destroyAfterChunks;
  let sent = 0;
  try {
    for (const chunk of body) {
      if (destroyAfter !== undefined && sent >= destroyAfter) break;
      if (sent > 0 && scripted.chunkDelayMs) await pause(scripted.chunkDelayMs);
      if (gone.signal.aborted) return;
      await writer.write(chunk, gone.signal);
      sent += 1;
    }
    if (destroyAfter !== undefined) {
      await writer.flush();
      await flushedToKernel(response.socket);
      response.socket?.destroy();
      return;
    }
    await writer.end();
  } catch (error) {
    if (gone.signal.aborted) return; // the client left; nothing to send to anyone
    response.destroy(error instanceof Error ? error : new Error(String(error)));
  } finally {
    if (gone.signal.aborted) writer.abort();
  }
}

interface BodyWriter {
  write(chunk: Chunk, signal: AbortSignal): Promise<void>;
  /** Pushes everything written so far onto the socket. */
  flush(): Promise<void>;
  end(): Promise<void>;
  /** Releases what the writer holds after the client went away. */
  abort(): void;
}

class PlainWriter implements BodyWriter {
  constructor(private readonly response: ServerResponse) {}

  async write(chunk: Chunk, signal: AbortSignal): Promise<void> {
    if (!this.response.write(chunk)) await once(this.response, 'drain', { signal });
  }

  async flush(): Promise<void> {}

  async end(): Promise<void> {
    await new Promise<void>((resolve) => this.response.end(resolve));
  }

  abort(): void {}
}

/** gzip, flushed after every chunk so that each chunk still reaches the client on its own. */
class GzipWriter implements BodyWriter {
  private readonly gzip: Gzip = createGzip();

  constructor(response: ServerResponse) {
    this.gzip.pipe(response);
  }

  async write(chunk: Chunk, signal: AbortSignal): Promise<void> {
    const accepted = this.gzip.write(chunk);
    await this.flush();
    if (!accepted) await once(this.gzip, 'drain', { signal });
  }

  flush(): Promise<void> {
    return new Promise((resolve) => this.gzip.flush(zlibConstants.Z_SYNC_FLUSH, () => resolve()));
  }

  async end(): Promise<void> {
    this.gzip.end();
    await once(this.gzip, 'end');
  }

  abort(): void {
    this.gzip.destroy();
  }
}

/**
 * A plain timer, not timers/promises with an AbortSignal: with 10k concurrent streams the signal's
 * listener bookkeeping per chunk costs more than letting a pause run out after the client left.
 */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once the socket has handed every byte written so far to the kernel. */
function flushedToKernel(socket: Socket | null): Promise<void> {
  if (!socket || socket.destroyed) return Promise.resolve();
  // Writes complete in order, so the callback of an empty write fires after all earlier ones.
  return new Promise((resolve) => socket.write(new Uint8Array(0), () => resolve()));
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) result[name.toLowerCase()] = value;
  return result;
}
