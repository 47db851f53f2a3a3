import type { Agent } from 'undici';
import { type BatchTransport, type ExportOutcome, acceptedOutcome } from './export-outcome';
import { parseRetryAfter } from './retry-delay';

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const PAYLOAD_TOO_LARGE = 413;
/** Responses are tiny in OTLP; a backend that answers with more is not read further. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/*
 * OTLP/HTTP protobuf over undici `request` on a private Agent: the global dispatcher and `fetch` are
 * what llm-otel's own instrumentation hooks, and an exporter must never trace (or loop on) itself.
 */
export class HttpBatchTransport implements BatchTransport {
  // undici is loaded at the first send, by a dynamic import() bundlers see: loading it was ~60 ms of
  // every start-up (bench/startup, issue 11). Until then the batches wait on disk.
  private client?: Promise<{ undici: typeof import('undici'); agent: Agent }>;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
  ) {}

  async send(payload: Uint8Array, timeoutMillis: number): Promise<ExportOutcome> {
    try {
      this.client ??= import('undici').then((undici) => ({ undici, agent: new undici.Agent({ keepAliveTimeout: 4_000, connections: 2 }) }));
      const { undici, agent } = await this.client;
      const response = await undici.request(this.url, {
        dispatcher: agent,
        method: 'POST',
        headers: { ...this.headers, 'content-type': 'application/x-protobuf' },
        body: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
        signal: AbortSignal.timeout(timeoutMillis),
        headersTimeout: timeoutMillis,
        bodyTimeout: timeoutMillis,
      });
      const body = await readBounded(response.body);
      const code = response.statusCode;
      if (code >= 200 && code < 300) return acceptedOutcome(body);
      const reason = `HTTP ${code}: ${Buffer.from(body.subarray(0, 200)).toString('utf8')}`;
      if (code === PAYLOAD_TOO_LARGE) return { kind: 'tooLarge', reason };
      if (RETRYABLE_STATUS.has(code)) {
        return { kind: 'retryable', reason, retryAfterMillis: parseRetryAfter(response.headers['retry-after']) };
      }
      return { kind: 'rejected', reason };
    } catch (error) {
      return { kind: 'retryable', reason: `HTTP request failed: ${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {
    await (await this.client?.catch(() => undefined))?.agent.destroy();
  }
}

async function readBounded(body: AsyncIterable<Uint8Array> & { destroy(): unknown }): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    total += chunk.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks);
}
