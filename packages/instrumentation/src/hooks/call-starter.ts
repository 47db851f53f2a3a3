import { context, diag, type Context } from '@opentelemetry/api';
import type { LlmRequest } from '../providers/adapter';
import type { EndpointMatch, EndpointRegistry } from '../providers/registry';
import { LlmCall, type CallEnvironment, type HookName } from '../span/llm-call';

/** What a hook hands over once it knows the request. */
export interface ObservedRequest {
  method: string;
  url: URL;
  body: unknown;
  header(name: string): string | undefined;
  startTime: number;
  parent?: Context;
}

/**
 * The one door from a hook into the span lifecycle: decides whether a request is an LLM call and
 * starts its span. Both hooks use it, so recognition works the same whichever hook sees the call.
 */
export class CallStarter {
  constructor(
    private readonly registry: EndpointRegistry,
    private readonly env: () => CallEnvironment,
  ) {}

  /**
   * Decides from method and URL alone whether a request may be an LLM call; the hook passes the
   * match on to start(), so the URL is matched once per call.
   */
  match(method: string, url: URL): EndpointMatch | undefined {
    return this.registry.match(method, url);
  }

  start(match: EndpointMatch, observed: ObservedRequest, hook: HookName): LlmCall | undefined {
    try {
      const request: LlmRequest = { url: observed.url, method: observed.method, body: observed.body, header: observed.header };
      return LlmCall.start(this.env(), match, request, hook, observed.startTime, observed.parent ?? context.active());
    } catch (error) {
      diag.error('llm-otel: could not start a span for an LLM call (the call itself is unaffected)', error);
      return undefined;
    }
  }
}
