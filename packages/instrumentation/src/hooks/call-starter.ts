import { context, diag, type Context } from '@opentelemetry/api';
import type { LlmRequest } from '../providers/adapter';
import type { EndpointRegistry } from '../providers/registry';
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

  /** Cheap pre-check on method and URL only. */
  mayBeLlmCall(method: string, url: URL): boolean {
    return this.registry.match(method, url) !== undefined;
  }

  start(observed: ObservedRequest, hook: HookName): LlmCall | undefined {
    try {
      const match = this.registry.match(observed.method, observed.url);
      if (!match) return undefined;
      const request: LlmRequest = { url: observed.url, method: observed.method, body: observed.body, header: observed.header };
      return LlmCall.start(this.env(), match, request, hook, observed.startTime, observed.parent ?? context.active());
    } catch (error) {
      diag.error('llm-otel: could not start a span for an LLM call (the call itself is unaffected)', error);
      return undefined;
    }
  }
}
