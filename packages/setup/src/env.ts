import { nonEmpty, quoteIfHarmless, readEnvChoice, readEnvInteger, warnEnv, type EnvWarn } from './env-diagnostics';
import { parseHeaderList } from './export-headers';
import type { OtlpProtocol } from './options';

/**
 * The standard `OTEL_*` variables setupTelemetry() itself has to interpret. Signal-specific variables
 * win over the general ones, as the specification says. A malformed value is warned about (naming the
 * variable, never echoing what could be a secret) and treated as unset, so the default applies: the
 * application always starts.
 */
export interface OtlpEnvironment {
  protocol?: OtlpProtocol;
  /** The endpoint URL, already parsed, and the variable it came from. */
  endpoint?: { url: URL; variable: string };
  /** True when the endpoint came from the signal-specific variable (used as is, no path appended). */
  endpointIsSignalSpecific: boolean;
  /**
   * Parsed but not yet checked against the protocol (exporter-settings.ts does that): the general
   * variable's, then the traces variable's, which win per header name.
   */
  headers: { values: Record<string, string>; variable: string }[];
  timeoutMillis?: number;
}

const PROTOCOLS = ['grpc', 'http/protobuf'] as const;
const HEADER_VARIABLES = ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'];

export function readOtlpEnvironment(env: NodeJS.ProcessEnv, warn: EnvWarn): OtlpEnvironment {
  const endpoint = readEndpoint(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', warn);
  return {
    protocol: readProtocol(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', warn) ?? readProtocol(env, 'OTEL_EXPORTER_OTLP_PROTOCOL', warn),
    endpoint: endpoint ?? readEndpoint(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', warn),
    endpointIsSignalSpecific: endpoint !== undefined,
    // Merged as the OpenTelemetry JS exporters merge them (and as they sent them before set-up read
    // the variables for them): Honeycomb-style set-ups put the key in the general variable and a
    // per-signal header in the traces one.
    headers: HEADER_VARIABLES.flatMap((variable) => {
      const value = nonEmpty(env[variable]);
      return value === undefined ? [] : [{ values: parseHeaderList(value, variable, warn), variable }];
    }),
    timeoutMillis: readEnvInteger(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', warn) ?? readEnvInteger(env, 'OTEL_EXPORTER_OTLP_TIMEOUT', warn),
  };
}

function readProtocol(env: NodeJS.ProcessEnv, name: string, warn: EnvWarn): OtlpProtocol | undefined {
  const hint = nonEmpty(env[name])?.toLowerCase() === 'http/json' ? ' (OTLP http/json is not supported by llm-otel)' : '';
  return readEnvChoice(env, name, PROTOCOLS, warn, hint);
}

export function readEndpoint(env: NodeJS.ProcessEnv, name: string, warn: EnvWarn): { url: URL; variable: string } | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const problem = endpointProblem(raw);
  if (typeof problem === 'string') {
    warnEnv(warn, name, problem);
    return undefined;
  }
  return { url: problem, variable: name };
}

/** The parsed URL, or what is wrong with it, in words that never quote it (it may hold a password). */
export function endpointProblem(value: string): URL | string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL (expected e.g. http://localhost:4317)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must start with http:// or https://';
  return url;
}

/** The protocol option: a wrong value in code throws at set-up. */
export function parseProtocolOption(value: string): OtlpProtocol {
  if (value === 'grpc' || value === 'http/protobuf') return value;
  throw new Error(
    `llm-otel: the protocol option${quoteIfHarmless(value)} must be 'grpc' (the default, port 4317) or 'http/protobuf' (port 4318).` +
      (value === 'http/json' ? ' OTLP http/json is not supported by llm-otel.' : ''),
  );
}
