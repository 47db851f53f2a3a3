import type { Client, Metadata, ServiceError } from '@grpc/grpc-js';
import { type BatchTransport, type ExportOutcome, acceptedOutcome } from './export-outcome';

type Grpc = typeof import('@grpc/grpc-js');

const EXPORT_METHOD = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** OTLP/gRPC: these codes may succeed later (the OTLP specification's list plus RESOURCE_EXHAUSTED). */
const retryableCodes = ({ status }: Grpc) =>
  new Set<number>([
    status.CANCELLED,
    status.DEADLINE_EXCEEDED,
    status.RESOURCE_EXHAUSTED,
    status.ABORTED,
    status.OUT_OF_RANGE,
    status.UNAVAILABLE,
    status.DATA_LOSS,
  ]);

/*
 * A server refuses a request above its receive limit with RESOURCE_EXHAUSTED and this text (grpc-js:
 * "Received message larger than max (N vs. M)", grpc-go: "grpc: received message larger than max",
 * after decompression too). That refusal is about this request's size, not about load: the spool
 * splits the batch instead of retrying it unchanged forever.
 */
const MESSAGE_TOO_LARGE = /larger than max|message too large|exceeds (the )?max/i;

const passBytes = (bytes: Buffer): Buffer => bytes;

/**
 * `TraceService/Export` on a generic grpc-js client whose (de)serializers pass bytes through. grpc-js
 * is loaded at the first send, by a dynamic `import()` bundlers see: the spool is off at the defaults,
 * and grpc-js was ~30 ms of every start-up (bench/startup, issue 11). Until it is loaded the batches
 * wait on disk like any batch not sent yet.
 */
export class GrpcBatchTransport implements BatchTransport {
  private readonly target: string;
  private readonly secure: boolean;
  private connection?: Promise<GrpcConnection>;

  constructor(
    endpoint: string,
    private readonly headers: Record<string, string>,
  ) {
    const url = new URL(endpoint);
    const web = url.protocol === 'http:' || url.protocol === 'https:';
    this.target = web ? url.host : endpoint;
    this.secure = url.protocol === 'https:';
  }

  async send(payload: Uint8Array, timeoutMillis: number): Promise<ExportOutcome> {
    this.connection ??= import('@grpc/grpc-js').then((grpc) => new GrpcConnection(grpc, this.target, this.secure, this.headers));
    let connection: GrpcConnection;
    try {
      connection = await this.connection;
    } catch (error) {
      return { kind: 'retryable', reason: `gRPC could not be loaded: ${(error as Error).message}` };
    }
    return connection.send(payload, timeoutMillis);
  }

  async close(): Promise<void> {
    (await this.connection?.catch(() => undefined))?.close();
  }
}

class GrpcConnection {
  private readonly retryable: Set<number>;
  private readonly client: Client;
  private readonly metadata: Metadata;

  constructor(
    private readonly grpc: Grpc,
    target: string,
    secure: boolean,
    headers: Record<string, string>,
  ) {
    this.retryable = retryableCodes(grpc);
    this.client = new grpc.Client(target, secure ? grpc.credentials.createSsl() : grpc.credentials.createInsecure());
    this.metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(headers)) this.metadata.set(key.toLowerCase(), value);
  }

  send(payload: Uint8Array, timeoutMillis: number): Promise<ExportOutcome> {
    const request = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    return new Promise((resolve) => {
      try {
        this.client.makeUnaryRequest(
          EXPORT_METHOD,
          passBytes,
          passBytes,
          request,
          this.metadata.clone(),
          { deadline: Date.now() + timeoutMillis },
          (error, response) => resolve(error ? this.classify(error) : acceptedOutcome(response)),
        );
      } catch (error) {
        resolve({ kind: 'retryable', reason: `gRPC call failed to start: ${(error as Error).message}` });
      }
    });
  }

  close(): void {
    this.client.close();
  }

  private classify(error: ServiceError): ExportOutcome {
    const { status } = this.grpc;
    const reason = `gRPC ${status[error.code] ?? error.code}: ${error.details}`;
    if (error.code === status.RESOURCE_EXHAUSTED && MESSAGE_TOO_LARGE.test(error.details ?? '')) return { kind: 'tooLarge', reason };
    if (!this.retryable.has(error.code)) return { kind: 'rejected', reason };
    // gRPC's own way to say "retry after": the grpc-retry-pushback-ms trailer.
    const pushback = Number(error.metadata?.get('grpc-retry-pushback-ms')[0]);
    return { kind: 'retryable', reason, retryAfterMillis: Number.isFinite(pushback) && pushback >= 0 ? pushback : undefined };
  }
}
