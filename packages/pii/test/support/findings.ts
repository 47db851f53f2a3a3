import { createMasker, type PiiMaskingOptions } from '@llm-otel/pii';

/** `[type, matched text]` for every finding, in order. */
export function findingsIn(text: string, options?: PiiMaskingOptions): Array<[string, string]> {
  return createMasker(options)
    .scan(text)
    .map((finding) => [finding.type, text.slice(finding.start, finding.end)]);
}
