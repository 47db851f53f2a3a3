import { maskDiagnostic, type EnvWarn } from './env-diagnostics';
import type { OtlpProtocol } from './options';

/*
 * Export headers are checked once, at set-up. A value an HTTP client or grpc-js refuses (CR/LF,
 * characters beyond Latin-1, non-ASCII for gRPC metadata) would otherwise be accepted here and fail
 * every export of the process's life; and grpc-js's own error quotes the value, which is usually a
 * token. Messages name the variable and the header, never the value.
 */

/** RFC 9110 token: the characters a header name may have. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Field values over HTTP: no control characters but tab, nothing beyond Latin-1 (what undici and node:http accept). */
const HTTP_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** grpc-js metadata: printable ASCII only. */
const GRPC_VALUE = /^[\x20-\x7e]*$/;
/** grpc-js metadata keys (after lower-casing); `-bin` keys take binary values, which a header list cannot give. */
const GRPC_KEY = /^[0-9a-z_.-]+$/;

/** What is wrong with one header for this transport, or undefined when it can be sent. */
export function headerProblem(name: string, value: string, protocol: OtlpProtocol): string | undefined {
  if (!TOKEN.test(name)) return 'has a name that is not a valid header name';
  if (protocol === 'grpc') {
    const key = name.toLowerCase();
    if (!GRPC_KEY.test(key) || key.endsWith('-bin') || key.startsWith('grpc-')) return 'has a name gRPC metadata cannot carry';
    if (!GRPC_VALUE.test(value)) return 'has a value with characters gRPC metadata cannot carry (control characters or non-ASCII)';
    return undefined;
  }
  if (!HTTP_VALUE.test(value)) return 'has a value with characters an HTTP header cannot carry (CR, LF, other control characters, or beyond Latin-1)';
  return undefined;
}

/**
 * How a header is named in a message: its name when that is a plain token in which no detector sees
 * a secret (a key pasted where the name goes, `{ [token]: … }`), else its position.
 */
export function describeHeader(name: string, position: number): string {
  return TOKEN.test(name) && name.length <= 64 && maskDiagnostic(name) === name ? `header '${name}'` : `header #${position}`;
}

/**
 * `key1=value1,key2=value2`, values percent-decoded (W3C baggage octet format, as the specification
 * says). A malformed entry is warned about and skipped; the rest are kept.
 */
export function parseHeaderList(value: string, variable: string, warn: EnvWarn): Record<string, string> {
  const headers: Record<string, string> = {};
  const entries = value.split(',');
  entries.forEach((entry, index) => {
    const position = index + 1;
    if (entry.trim() === '') return;
    const separator = entry.indexOf('=');
    const name = separator > 0 ? entry.slice(0, separator).trim() : '';
    if (!name) {
      warn(`llm-otel: ${variable} entry #${position} has no 'name=value' form; that entry is ignored`);
      return;
    }
    try {
      headers[name] = decodeURIComponent(entry.slice(separator + 1).trim());
    } catch {
      warn(`llm-otel: ${variable} ${describeHeader(name, position)} has a malformed percent-encoding (e.g. %ZZ); that header is ignored`);
    }
  });
  return headers;
}
