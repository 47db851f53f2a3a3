import type { LlmRequest, ParsedRequest, ParsedResponse, ProviderAdapter, ResponseAccumulator, StreamEvent, Usage } from '@llm-otel/instrumentation';

/**
 * A wire protocol llm-otel does not ship, written as a user would write one (DESIGN.md, "Adding a
 * provider"): "Acme generate", `POST /acme/v1/generate` with `{model, prompt, stream}`, answered
 * with `{id, model, text, stop, tokens: {in, out}}`, or as SSE events `start`, `text`... `end`.
 * Only the package's public types are used.
 */
export const acmeAdapter: ProviderAdapter = {
  protocol: 'acme.generate',
  vendor: { name: 'acme', shared: false },
  matchesPath: (url) => url.pathname.endsWith('/acme/v1/generate'),
  looksLikeRequest: (body) => typeof object(body)?.prompt === 'string',
  parseRequest: (request: LlmRequest): ParsedRequest => {
    const body = object(request.body) ?? {};
    const model = typeof body.model === 'string' ? body.model : undefined;
    const attributes: Record<string, number | boolean> = {};
    if (typeof body.max_tokens === 'number') attributes['gen_ai.request.max_tokens'] = body.max_tokens;
    if (body.stream === true) attributes['gen_ai.request.stream'] = true;
    return {
      operation: 'text_completion',
      model,
      stream: body.stream === true,
      // Every stream ends with an `end` event that carries the token counts.
      streamReportsUsage: true,
      attributes,
    };
  },
  createAccumulator: () => new AcmeAccumulator(),
  // Text events carry nothing a span needs when no content is kept: they are counted, never parsed.
  eventCarriesSummary: (data) => !data.startsWith('{"type":"text"'),
  parseError: (body) => {
    const error = object(object(body)?.error);
    return { type: typeof error?.code === 'string' ? error.code : undefined, message: typeof error?.message === 'string' ? error.message : undefined };
  },
  salvage: { leadingStrings: ['id', 'model'], trailingObjects: ['tokens'], trailingStrings: ['stop'] },
};

class AcmeAccumulator implements ResponseAccumulator {
  private id?: string;
  private model?: string;
  private stop?: string;
  private usage?: Usage;

  onEvent(event: StreamEvent): void {
    this.onBody(event.data);
  }

  onBody(body: unknown): void {
    const message = object(body);
    if (!message) return;
    if (typeof message.id === 'string') this.id = message.id;
    if (typeof message.model === 'string') this.model = message.model;
    if (typeof message.stop === 'string') this.stop = message.stop;
    const tokens = object(message.tokens);
    if (tokens) this.usage = { inputTokens: number(tokens.in), outputTokens: number(tokens.out) };
  }

  finish(): ParsedResponse {
    return { id: this.id, model: this.model, usage: this.usage, finishReasons: this.stop ? [this.stop] : undefined };
  }
}

function object(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
