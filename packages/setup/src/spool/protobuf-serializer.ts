import type { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { requireLazily } from '../lazy-require';

type Serializer = typeof ProtobufTraceSerializer;

let serializer: Serializer | undefined;

/**
 * Starts loading the OTLP protobuf (de)serializer of traces when a spool is made: the spool is off at
 * the defaults, and `@opentelemetry/otlp-transformer` (with the metrics SDK it imports) was ~30 ms of
 * every start-up (bench/startup, issue 11). A dynamic `import()`, which bundlers see. Never rejects.
 */
export function preloadProtobufTraceSerializer(): Promise<void> {
  return import('@opentelemetry/otlp-transformer').then(
    (transformer) => {
      serializer ??= transformer.ProtobufTraceSerializer;
    },
    () => undefined, // protobufTraceSerializer() says why, where it is needed
  );
}

/** The serializer, synchronously (the spool's spill is): required now if the preload has not finished. */
export function protobufTraceSerializer(): Serializer {
  serializer ??= (requireLazily('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer')).ProtobufTraceSerializer;
  return serializer;
}
