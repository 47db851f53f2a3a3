import type { OtlpProtocol } from './options';

/**
 * The standard `OTEL_*` variables setupTelemetry() itself has to interpret (the exporters, the
 * BatchSpanProcessor and the tracer provider read the others themselves). Signal-specific
 * variables win over the general ones, as the specification says.
 */
export interface OtlpEnvironment {
  protocol?: string;
  endpoint?: string;
  /** True when the endpoint came from the signal-specific variable (used as is, no path appended). */
  endpointIsSignalSpecific: boolean;
  headers?: Record<string, string>;
  timeoutMillis?: number;
}

export function readOtlpEnvironment(env: NodeJS.ProcessEnv = process.env): OtlpEnvironment {
  const tracesEndpoint = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const timeout = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_TIMEOUT);
  return {
    protocol: nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_PROTOCOL),
    endpoint: tracesEndpoint ?? nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT),
    endpointIsSignalSpecific: tracesEndpoint !== undefined,
    headers: parseHeaders(nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_HEADERS)),
    timeoutMillis: timeout === undefined ? undefined : parsePositiveInteger(timeout, 'OTEL_EXPORTER_OTLP_TIMEOUT'),
  };
}

export function parseProtocol(value: string, source: string): OtlpProtocol {
  if (value === 'grpc' || value === 'http/protobuf') return value;
  throw new Error(
    `llm-otel: ${source} is '${value}'; use 'grpc' (the default, port 4317) or 'http/protobuf' (port 4318).` +
      (value === 'http/json' ? ' OTLP http/json is not supported by llm-otel.' : ''),
  );
}

/** `key1=value1,key2=value2`, values URL-decoded (W3C baggage octet format, as the spec says). */
function parseHeaders(value: string | undefined): Record<string, string> | undefined {
  if (!value) return undefined;
  const headers: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) throw new Error(`llm-otel: OTEL_EXPORTER_OTLP_HEADERS has an entry without '=': '${pair.trim()}'`);
    headers[pair.slice(0, separator).trim()] = decodeURIComponent(pair.slice(separator + 1).trim());
  }
  return headers;
}

export function parsePositiveInteger(value: string, name: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`llm-otel: ${name} must be a positive integer, got '${value}'`);
  return parsed;
}

export function envFlag(value: string | undefined): boolean | undefined {
  const normalised = value?.trim().toLowerCase();
  if (normalised === 'true' || normalised === '1') return true;
  if (normalised === 'false' || normalised === '0') return false;
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
