/**
 * The vendor of each wire protocol, named on spans to hosts we do not know (see ProviderAdapter.vendor).
 * Anthropic's Messages and Google's generateContent are spoken by their vendor's API (proxies and
 * gateways forward them), so the vendor's name is the best knowledge semconv asks for; for Google the
 * semconv value for "any Google generative AI endpoint" (`gcp.gen_ai`) is used because an unknown
 * host could front either the Gemini API or Vertex AI. OpenAI's protocols are implemented by many
 * servers (vLLM, LiteLLM, LM Studio...): `openai` names the telemetry flavour, and
 * `llm_otel.provider.compatible=true` says it was not OpenAI's own host (DESIGN.md, "Provider names").
 */
export const OPENAI_COMPATIBLE = { name: 'openai', shared: true } as const;
export const ANTHROPIC = { name: 'anthropic', shared: false } as const;
export const GOOGLE_GEN_AI = { name: 'gcp.gen_ai', shared: false } as const;
export const OLLAMA = { name: 'ollama', shared: false } as const;
