import { traceProtobufSerializer } from '../otlp/trace-serializer';

/** What one attempt to ship a stored batch came to. Transports never throw; they answer with this. */
export type ExportOutcome =
  | { kind: 'accepted'; partialSuccess?: { rejectedSpans: number; errorMessage: string } }
  | { kind: 'retryable'; reason: string; retryAfterMillis?: number }
  /** The request was refused for its size (HTTP 413, gRPC "message larger than max"): send it in parts. */
  | { kind: 'tooLarge'; reason: string }
  | { kind: 'rejected'; reason: string };

/** Ships OTLP ExportTraceServiceRequest bytes as they are (the stock exporters only take spans). */
export interface BatchTransport {
  send(payload: Uint8Array, timeoutMillis: number): Promise<ExportOutcome>;
  close(): Promise<void>;
}

/** An accepted response may still say some spans were refused (OTLP partial success). */
export function acceptedOutcome(responseBody: Uint8Array | undefined): ExportOutcome {
  if (!responseBody || responseBody.byteLength === 0) return { kind: 'accepted' };
  try {
    const partial = traceProtobufSerializer.deserializeResponse(responseBody).partialSuccess;
    if (partial && (Number(partial.rejectedSpans ?? 0) > 0 || partial.errorMessage)) {
      return {
        kind: 'accepted',
        partialSuccess: { rejectedSpans: Number(partial.rejectedSpans ?? 0), errorMessage: partial.errorMessage ?? '' },
      };
    }
  } catch {
    // A body that is not an ExportTraceServiceResponse still means success.
  }
  return { kind: 'accepted' };
}
