import { Metadata } from '@grpc/grpc-js';
import { envFlag, parseProtocol, readOtlpEnvironment } from './env';
import type { OtlpProtocol, SetupOptions } from './options';

/** Where and how spans are sent, resolved from options (which win) and `OTEL_*` variables. */
export interface ExporterSettings {
  protocol: OtlpProtocol;
  /** For gRPC `http(s)://host:port`; for http/protobuf the full traces URL. */
  url: string;
  headers: Record<string, string>;
  timeoutMillis: number;
}

const DEFAULT_TIMEOUT_MILLIS = 10_000;
export const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5000;

export function resolveExporterSettings(options: SetupOptions, env: NodeJS.ProcessEnv = process.env): ExporterSettings {
  const fromEnv = readOtlpEnvironment(env);
  const protocol = options.protocol
    ? parseProtocol(options.protocol, 'the protocol option')
    : fromEnv.protocol
      ? parseProtocol(fromEnv.protocol, 'OTEL_EXPORTER_OTLP_PROTOCOL')
      : 'grpc';
  const explicit = options.endpoint;
  const raw = explicit ?? fromEnv.endpoint ?? (protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318');
  const source = explicit ? 'the endpoint option' : fromEnv.endpoint ? 'OTEL_EXPORTER_OTLP_ENDPOINT' : 'the default endpoint';
  const parsed = parseEndpoint(raw, source);
  let url = parsed.href;
  if (protocol === 'http/protobuf') {
    // As the specification says: OTEL_EXPORTER_OTLP_ENDPOINT is a base URL that gets the signal path
    // appended; OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as is. The endpoint option is used as is
    // when it has a path, and gets /v1/traces when it is a bare origin.
    if (explicit) url = parsed.pathname === '/' ? new URL('/v1/traces', parsed).href : parsed.href;
    else if (fromEnv.endpointIsSignalSpecific) url = parsed.href;
    else url = `${parsed.href.replace(/\/?$/, '/')}v1/traces`;
  } else {
    url = `${parsed.protocol}//${parsed.host}`;
  }
  return {
    protocol,
    url,
    headers: { ...fromEnv.headers, ...options.headers },
    // By default no export outlives the shutdown deadline: an export hanging on a dead backend keeps
    // the event loop alive until its own timeout, which would hold up the application's exit.
    timeoutMillis: options.timeoutMillis ?? fromEnv.timeoutMillis ?? Math.min(DEFAULT_TIMEOUT_MILLIS, options.shutdownTimeoutMillis ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS),
  };
}

function parseEndpoint(value: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`llm-otel: ${source} '${value}' is not a URL; expected e.g. http://localhost:4317`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`llm-otel: ${source} '${value}' must start with http:// or https://`);
  }
  return url;
}

/** Whether set-up installs the signal and exit handlers: option, else LLM_OTEL_HANDLE_SIGNALS, else true. */
export function resolveHandleSignals(options: SetupOptions, env: NodeJS.ProcessEnv = process.env): boolean {
  return options.handleSignals ?? envFlag(env.LLM_OTEL_HANDLE_SIGNALS) ?? true;
}

/** OTLP headers as gRPC metadata. */
export function grpcMetadata(headers: Record<string, string>): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  return metadata;
}
