import type { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { requireLazily } from '../lazy-require';

let serializer: typeof ProtobufTraceSerializer | undefined;

/**
 * The OTLP protobuf (de)serializer of traces, required when a spool first needs it: the spool is off
 * at the defaults, and `@opentelemetry/otlp-transformer` (with the metrics SDK it imports) was
 * ~30 ms of every start-up (bench/startup, issue 11). Synchronous, as the spool's spill is.
 */
export function protobufTraceSerializer(): typeof ProtobufTraceSerializer {
  serializer ??= (requireLazily('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer')).ProtobufTraceSerializer;
  return serializer;
}
