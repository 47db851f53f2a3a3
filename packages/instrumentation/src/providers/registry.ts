import type { ProviderEndpoint } from '../config';
import type { ProviderAdapter } from './adapter';
import { anthropicMessagesAdapter } from './anthropic-messages';
import { geminiAdapter } from './gemini';
import { geminiEmbeddingsAdapter } from './gemini-embeddings';
import { ollamaAdapter } from './ollama';
import { openAiChatAdapter } from './openai-chat';
import { openAiCompletionsAdapter } from './openai-completions';
import { openAiEmbeddingsAdapter } from './openai-embeddings';
import { openAiResponsesAdapter } from './openai-responses';
import { providerForUrl } from './provider-hosts';

/**
 * Every wire protocol we parse; the first whose path matches wins. Chat completions comes before
 * legacy completions, whose path (`/completions`) is a suffix of its own.
 */
export const ADAPTERS: readonly ProviderAdapter[] = [
  openAiChatAdapter,
  openAiCompletionsAdapter,
  openAiResponsesAdapter,
  openAiEmbeddingsAdapter,
  anthropicMessagesAdapter,
  geminiAdapter,
  geminiEmbeddingsAdapter,
  ollamaAdapter,
];

export interface EndpointMatch {
  adapter: ProviderAdapter;
  /** `gen_ai.provider.name`: registered, known from the host, or the protocol's own vendor. */
  providerName: string;
  /**
   * An unknown host speaking a protocol many servers implement (OpenAI's): `providerName` is then the
   * protocol's vendor and `llm_otel.provider.compatible` says the server is only compatible with it.
   */
  compatibleServer: boolean;
  /** The host is unknown: trace only when the body has the protocol's shape. */
  needsBodyCheck: boolean;
}

/**
 * Decides from the URL alone whether a request may be an LLM call. Runs on every request the
 * hooks see, so it is a few string comparisons: no allocation for a request that is not a POST.
 */
export class EndpointRegistry {
  private readonly registered: { prefix: string; name: string }[];

  constructor(
    endpoints: readonly ProviderEndpoint[],
    private readonly adapters: readonly ProviderAdapter[] = ADAPTERS,
  ) {
    this.registered = endpoints.map((endpoint, index) => ({ prefix: normaliseBase(endpoint.baseUrl, index), name: endpoint.name }));
  }

  match(method: string, url: URL): EndpointMatch | undefined {
    if (method !== 'POST' && method !== 'post') return undefined;
    const adapter = this.adapters.find((candidate) => candidate.matchesPath(url));
    if (!adapter) return undefined;
    const href = url.href;
    const registered = this.registered.find((endpoint) => href.startsWith(endpoint.prefix));
    if (registered) return { adapter, providerName: registered.name, compatibleServer: false, needsBodyCheck: false };
    const known = providerForUrl(url);
    if (known) return { adapter, providerName: known, compatibleServer: false, needsBodyCheck: false };
    return { adapter, providerName: adapter.vendor.name, compatibleServer: adapter.vendor.shared, needsBodyCheck: true };
  }
}

/**
 * The prefix a request URL must start with. Userinfo, query and fragment are dropped: request URLs
 * never carry them where this matches (fetch refuses userinfo), so a base URL with a gateway key in
 * its query or `user:pass@` never matched before. A base URL that is not a URL throws a message that
 * names the option, never the value: Node's own `TypeError: Invalid URL` keeps it in `error.input`,
 * which an uncaught error prints (a gateway key in the query with it).
 */
function normaliseBase(baseUrl: string, index: number): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`llm-otel: providers[${index}].baseUrl is not a URL (expected e.g. http://localhost:8000/v1)`);
  }
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}
