import type { Metadata } from '@grpc/grpc-js';
import { readEnvFlag, warnSetup, type EnvWarn } from './env-diagnostics';
import { endpointProblem, parseProtocolOption, readOtlpEnvironment } from './env';
import { describeHeader, headerProblem } from './export-headers';
import { requireLazily } from './lazy-require';
import type { OtlpProtocol, SetupOptions } from './options';

type Grpc = typeof import('@grpc/grpc-js');

/** Where and how spans are sent, resolved from options (which win) and `OTEL_*` variables. */
export interface ExporterSettings {
  protocol: OtlpProtocol;
  /** For gRPC `http(s)://host:port`; for http/protobuf the full traces URL. Never holds userinfo. */
  url: string;
  /** Checked for the transport; endpoint userinfo has become `authorization` here (see resolveCredentials). */
  headers: Record<string, string>;
  timeoutMillis: number;
}

const DEFAULT_TIMEOUT_MILLIS = 10_000;
export const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5000;

/**
 * Options win over variables. A wrong option throws (the code is wrong); a malformed variable is
 * warned about and its default used (the application must start), as the specification says.
 */
export function resolveExporterSettings(options: SetupOptions, env: NodeJS.ProcessEnv = process.env, warn: EnvWarn = warnSetup): ExporterSettings {
  const shutdownTimeoutMillis = checkedShutdownTimeoutOption(options.shutdownTimeoutMillis) ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS;
  const fromEnv = readOtlpEnvironment(env, warn);
  const protocol = options.protocol ? parseProtocolOption(options.protocol) : (fromEnv.protocol ?? 'grpc');
  const parsed =
    options.endpoint !== undefined
      ? parseEndpointOption(options.endpoint)
      : (fromEnv.endpoint?.url ?? new URL(protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318'));
  const headers = {
    ...checkedEnvHeaders(fromEnv.headers, protocol, warn),
    ...checkedOptionHeaders(options.headers, protocol),
  };
  const userinfo = takeUserinfo(parsed);
  let url: string;
  if (protocol === 'http/protobuf') {
    // As the specification says: OTEL_EXPORTER_OTLP_ENDPOINT is a base URL that gets the signal path
    // appended; OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as is. The endpoint option is used as is
    // when it has a path, and gets /v1/traces when it is a bare origin.
    if (options.endpoint !== undefined) url = parsed.pathname === '/' ? new URL('/v1/traces', parsed).href : parsed.href;
    else if (fromEnv.endpointIsSignalSpecific) url = parsed.href;
    else url = withSignalPath(parsed);
  } else {
    url = `${parsed.protocol}//${parsed.host}`;
  }
  return {
    protocol,
    url,
    headers: withBasicAuth(headers, userinfo, options.endpoint !== undefined ? 'the endpoint option' : (fromEnv.endpoint?.variable ?? 'the endpoint'), warn),
    // By default no export outlives the shutdown deadline: an export hanging on a dead backend keeps
    // the event loop alive until its own timeout, which would hold up the application's exit. At least
    // 1 ms: the stock exporters refuse 0 (a deadline of 0 threw out of set-up in their words).
    timeoutMillis: checkedTimeoutOption(options.timeoutMillis) ?? fromEnv.timeoutMillis ?? Math.max(1, Math.min(DEFAULT_TIMEOUT_MILLIS, shutdownTimeoutMillis)),
  };
}

/** `/v1/traces` appended to the path (a query string, as some vendors' endpoints carry, stays after it). */
function withSignalPath(base: URL): string {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/?$/, '/')}v1/traces`;
  return url.href;
}

function parseEndpointOption(value: string): URL {
  const parsed = endpointProblem(value);
  if (typeof parsed === 'string') throw new Error(`llm-otel: the endpoint option ${parsed}`);
  return parsed;
}

function checkedTimeoutOption(value: number | undefined): number | undefined {
  if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) throw new Error('llm-otel: the timeoutMillis option must be a positive integer');
  return value;
}

function checkedEnvHeaders(sources: { values: Record<string, string>; variable: string }[], protocol: OtlpProtocol, warn: EnvWarn): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const { values, variable } of sources) {
    Object.entries(values).forEach(([name, value], index) => {
      const problem = headerProblem(name, value, protocol);
      if (problem === undefined) kept[name] = value;
      else warn(`llm-otel: ${variable} ${describeHeader(name, index + 1)} ${problem}; that header is not sent`);
    });
  }
  return kept;
}

/**
 * Checked here, the first place set-up reads it: unchecked, a string became a NaN export timeout and the
 * stock exporter threw its own "Configuration: timeoutMillis is invalid (actual: 'NaN')", naming
 * neither our option nor the problem.
 */
function checkedShutdownTimeoutOption(value: number | undefined): number | undefined {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0))
    throw new Error('llm-otel: the shutdownTimeoutMillis option must be an integer of at least 0');
  return value;
}

function checkedOptionHeaders(headers: Record<string, string> | undefined, protocol: OtlpProtocol): Record<string, string> {
  // A string (`headers: 'authorization=Bearer …'`, the variable's format) was read character by
  // character into headers named '0', '1', … and sent.
  if (headers !== undefined && (typeof headers !== 'object' || headers === null || Array.isArray(headers))) {
    throw new Error("llm-otel: the headers option must be an object of header names to values, e.g. { authorization: 'Bearer …' }");
  }
  Object.entries(headers ?? {}).forEach(([name, value], index) => {
    const problem = typeof value === 'string' ? headerProblem(name, value, protocol) : 'has a value that is not a string';
    if (problem !== undefined) throw new Error(`llm-otel: the headers option ${describeHeader(name, index + 1)} ${problem}`);
  });
  return { ...headers };
}

/**
 * One rule for endpoint credentials on every path (the stock http exporter, the gRPC exporter and the
 * spool's two senders all take `url` and `headers` from here): `https://user:pass@host` becomes
 * `authorization: Basic base64(user:pass)`, unless an `authorization` header is given explicitly, and
 * the userinfo is removed from the URL so no log line, error or `telemetry.exporter.url` holds it.
 * Before, the http exporter sent it as Basic auth, the spool's sender dropped it and gRPC dropped it
 * silently.
 */
function takeUserinfo(url: URL): { user: string; password: string } | undefined {
  if (url.username === '' && url.password === '') return undefined;
  const userinfo = { user: url.username, password: url.password };
  url.username = '';
  url.password = '';
  return userinfo;
}

function withBasicAuth(
  headers: Record<string, string>,
  userinfo: { user: string; password: string } | undefined,
  source: string,
  warn: EnvWarn,
): Record<string, string> {
  if (!userinfo) return headers;
  if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
    warn(`llm-otel: ${source} has user:password@ and an authorization header is also given; the header is sent, the URL's credentials are not`);
    return headers;
  }
  const credentials = `${percentDecoded(userinfo.user)}:${percentDecoded(userinfo.password)}`;
  return { ...headers, authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` };
}

function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Whether set-up installs the signal and exit handlers: option, else LLM_OTEL_HANDLE_SIGNALS, else true. */
export function resolveHandleSignals(options: SetupOptions, env: NodeJS.ProcessEnv = process.env, warn: EnvWarn = warnSetup): boolean {
  return options.handleSignals ?? readEnvFlag(env, 'LLM_OTEL_HANDLE_SIGNALS', warn) ?? true;
}

/**
 * OTLP headers as gRPC metadata (checked by headerProblem first, so Metadata.set cannot throw and quote
 * a value). `MetadataClass` is grpc-js's, from whoever loaded grpc-js for the exporter; grpc-js is
 * CommonJS only, so there is one copy.
 */
export function grpcMetadata(headers: Record<string, string>, MetadataClass: typeof Metadata = (requireLazily('@grpc/grpc-js') as Grpc).Metadata): Metadata {
  const metadata = new MetadataClass();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  return metadata;
}
