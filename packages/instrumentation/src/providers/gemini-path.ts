/**
 * The model and method of a Gemini URL: `/v1beta/models/{model}:{method}` (Gemini API) or
 * `/v1/projects/{p}/locations/{l}/publishers/google/models/{model}:{method}` (Vertex AI).
 */
export function geminiModelAndMethod(url: URL): { model: string | undefined; method: string } | undefined {
  const path = url.pathname;
  const slash = path.lastIndexOf('/');
  const colon = path.indexOf(':', slash);
  if (colon === -1) return undefined;
  const encoded = path.slice(slash + 1, colon);
  let model: string | undefined;
  try {
    model = decodeURIComponent(encoded) || undefined;
  } catch {
    model = encoded;
  }
  return { model, method: path.slice(colon + 1) };
}

/**
 * Reads a field by its proto-JSON name, or by the snake_case name that the REST API accepts too
 * (`generationConfig` / `generation_config`).
 */
export function protoField(object: Record<string, unknown> | undefined, camelName: string): unknown {
  if (!object) return undefined;
  const value = object[camelName];
  return value !== undefined ? value : object[camelName.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)];
}
