/**
 * Which attribute keys are replaced whole (secret keys), which are never scanned (allow-list), and which
 * are scanned. Decisions are cached per key: attribute keys repeat across spans.
 */
import { HOST_KEYS } from './host-attributes';
import { identifierType } from './identifiers/identifier-attributes';
import { SUMMARY_ATTRIBUTES } from './summary-attributes';

export const DEFAULT_SECRET_KEYS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'api-key',
  'api_key',
  'apikey',
  'x-api-key',
  'x-goog-api-key',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'auth_token',
  'x-auth-token',
  'password',
  'passwd',
  'cookie',
  'set-cookie',
  'secret',
  'client_secret',
  'private_key',
];

export const DEFAULT_ALLOWED_KEYS: readonly string[] = [
  'server.address',
  'server.port',
  'url.scheme',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'gen_ai.response.id',
  'gen_ai.provider.name',
  'gen_ai.operation.name',
  'trace_id',
  'span_id',
  'trace.id',
  'span.id',
  'parent_span_id',
  'llm_otel.protocol',
];

/** `identifier`: a user or session id (identifiers/identifier-attributes.ts), pseudonymised whatever the lists say. */
/** `host`: a server's or this machine's address (host-attributes.ts), kept when it is a host. */
export type KeyRule = 'secret' | 'allow' | 'scan' | 'url' | 'host' | 'identifier';

/**
 * HTTP and gRPC header attributes (`http.request.header.<name>`, semconv): a header is a secret when
 * one word of its name (split at `-` and `_`) is one of these, so vendor headers are caught without a
 * list of vendors: `ocp-apim-subscription-key`, `x-goog-api-key`, `x-functions-key`, `private-token`,
 * `x-amz-security-token`, `cookie`, `set-cookie`, `proxy-authorization`. Plurals do not count:
 * `x-ratelimit-remaining-tokens` is an LLM rate-limit figure, not a secret.
 */
const HEADER_PREFIXES = [
  'http.request.header.',
  'http.response.header.',
  'rpc.grpc.request.metadata.',
  'rpc.grpc.response.metadata.',
  'rpc.request.metadata.',
  'rpc.response.metadata.',
];
const SECRET_HEADER_WORDS = new Set([
  'authorization',
  'auth',
  'cookie',
  'key',
  'apikey',
  'token',
  'secret',
  'password',
  'passwd',
  'signature',
  'credential',
  'credentials',
  'session',
  'sessionid',
  'csrf',
  'xsrf',
]);

/**
 * URL attributes: scanned, but the host is left as it is (`server.address` is not scanned either), so
 * `url.full` still names the server it called; userinfo, path, query and fragment are masked.
 */
export const URL_KEYS: readonly string[] = ['url.full', 'http.url', 'url.original'];

function isSecretHeader(key: string): boolean {
  const lower = key.toLowerCase();
  const prefix = HEADER_PREFIXES.find((candidate) => lower.startsWith(candidate));
  if (prefix === undefined) return false;
  return lower
    .slice(prefix.length)
    .split(/[-_.]/)
    .some((word) => SECRET_HEADER_WORDS.has(word));
}

/** `HTTP.Request.Header.X-Api-Key` → `xapikey`: last segment, lower case, without `-`, `_` and spaces. */
function normaliseSegment(key: string): string {
  const segment = key.slice(key.lastIndexOf('.') + 1);
  return segment.toLowerCase().replace(/[-_ ]/g, '');
}

const CACHE_LIMIT = 4096;

export function createKeyRules(secretKeys: readonly string[], allowedKeys: readonly string[]): (key: string) => KeyRule {
  const secrets = new Set(secretKeys.map(normaliseSegment));
  const allowed = new Set(allowedKeys);
  const cache = new Map<string, KeyRule>();
  return (key) => {
    let rule = cache.get(key);
    if (rule !== undefined) return rule;
    if (identifierType(key) !== undefined) rule = 'identifier';
    else if (allowed.has(key) || SUMMARY_ATTRIBUTES.includes(key)) rule = 'allow';
    else if (secrets.has(normaliseSegment(key)) || isSecretHeader(key)) rule = 'secret';
    else if (URL_KEYS.includes(key)) rule = 'url';
    else if (HOST_KEYS.includes(key)) rule = 'host';
    else rule = 'scan';
    // Keys are few in practice; the bound only guards against keys made from data.
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, rule);
    return rule;
  };
}
