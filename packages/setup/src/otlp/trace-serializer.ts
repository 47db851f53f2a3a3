import type { IExportTraceServiceResponse, ISerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { requireLazily } from '../lazy-require';
import { serializeTraceRequest } from './trace-request';

let upstream: typeof ProtobufTraceSerializer | undefined;

/**
 * Starts loading upstream's OTLP trace (de)serializer when a spool is made, for the responses only
 * (requests are our own serializer's, ../otlp/trace-request.ts): the spool is off at the defaults, and
 * `@opentelemetry/otlp-transformer` (with the metrics SDK it imports) was ~30 ms of every start-up
 * (bench/startup, issue 11). A dynamic `import()`, which bundlers see. Never rejects.
 */
export function preloadProtobufTraceSerializer(): Promise<void> {
  return import('@opentelemetry/otlp-transformer').then(
    (transformer) => {
      upstream ??= transformer.ProtobufTraceSerializer;
    },
    () => undefined, // deserializeResponse says why, where it is needed
  );
}

/**
 * The OTLP protobuf serializer of traces: requests written by ours (the bytes upstream's would write,
 * 4.4 against 20.0 µs per bench/export span: issue 11's export target), responses read by upstream's,
 * required now if the preload has not finished (the spool's spill is synchronous).
 */
export const traceProtobufSerializer: ISerializer<ReadableSpan[], IExportTraceServiceResponse> = {
  serializeRequest: serializeTraceRequest,
  deserializeResponse(data: Uint8Array): IExportTraceServiceResponse {
    upstream ??= (requireLazily('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer')).ProtobufTraceSerializer;
    return upstream.deserializeResponse(data);
  },
};
