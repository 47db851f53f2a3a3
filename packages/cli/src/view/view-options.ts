import { parseArgs } from 'node:util';
import { UsageError } from '../verify/keys';

export interface ViewOptions {
  host: string;
  grpcPort: number;
  httpPort: number;
  json: boolean;
  services: string[];
  models: string[];
  errorsOnly: boolean;
  /** Only traces longer than this, ms. */
  slowerThanMs?: number;
  /** How long a trace stays open after its last span when its root span has arrived, ms. */
  settleMs: number;
  /** How long a trace without a root span (its parent is remote, or it was not received) waits, ms. */
  waitMs: number;
  /** The largest request body accepted (HTTP 413 / gRPC RESOURCE_EXHAUSTED beyond it). */
  maxRequestBytes: number;
  colours: boolean;
}

export const DEFAULT_GRPC_PORT = 4317;
export const DEFAULT_HTTP_PORT = 4318;
/** A few times the largest batch the SDK's BatchSpanProcessor sends (512 spans of a few kB each). */
const DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** `2s`, `1.5s`, `500ms`, `500` (ms), `1m`. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag}: not a duration: ${JSON.stringify(text.slice(0, 40))} (e.g. 2s, 500ms)`);
  const value = Number(match[1]);
  return match[2] === 's' ? value * 1000 : match[2] === 'm' ? value * 60_000 : value;
}

export function parsePort(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new UsageError(`${flag}: not a port number: ${JSON.stringify(text.slice(0, 40))}`);
  return port;
}

export function parseViewOptions(argv: string[], env: NodeJS.ProcessEnv, stdoutIsTty: boolean): ViewOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      host: { type: 'string' },
      'grpc-port': { type: 'string' },
      'http-port': { type: 'string' },
      json: { type: 'boolean' },
      service: { type: 'string', multiple: true },
      model: { type: 'string', multiple: true },
      errors: { type: 'boolean' },
      'slower-than': { type: 'string' },
      settle: { type: 'string' },
      wait: { type: 'string' },
      'max-request-bytes': { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const maxRequestBytes = values['max-request-bytes'] === undefined ? DEFAULT_MAX_REQUEST_BYTES : Number(values['max-request-bytes']);
  if (!Number.isSafeInteger(maxRequestBytes) || maxRequestBytes < 1024) throw new UsageError('--max-request-bytes: an integer of at least 1024');
  const options: ViewOptions = {
    host: values.host ?? '127.0.0.1',
    grpcPort: parsePort(values['grpc-port'], '--grpc-port', DEFAULT_GRPC_PORT),
    httpPort: parsePort(values['http-port'], '--http-port', DEFAULT_HTTP_PORT),
    json: values.json === true,
    services: values.service ?? [],
    models: values.model ?? [],
    errorsOnly: values.errors === true,
    settleMs: values.settle === undefined ? 500 : parseDuration(values.settle, '--settle'),
    waitMs: values.wait === undefined ? 6000 : parseDuration(values.wait, '--wait'),
    maxRequestBytes,
    // https://no-color.org: any non-empty NO_COLOR turns colours off; --color forces them on.
    colours: values.color === true || (values['no-color'] !== true && stdoutIsTty && !env.NO_COLOR),
  };
  if (values['slower-than'] !== undefined) options.slowerThanMs = parseDuration(values['slower-than'], '--slower-than');
  return options;
}
