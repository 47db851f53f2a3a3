import * as semconv from '../semconv';
import { asStringList, copyNumbers, type JsonObject } from './json-access';

export type RequestAttributes = Record<string, number | string | boolean | string[]>;

/** The gen_ai.request.* attributes of a request's numeric parameters and stop sequences, as sent. */
export function samplingAttributes(source: JsonObject, numbers: ReadonlyArray<readonly [attribute: string, field: string]>, stop: unknown): RequestAttributes {
  const attributes: RequestAttributes = {};
  copyNumbers(attributes, source, numbers);
  const sequences = asStringList(stop);
  if (sequences) attributes[semconv.ATTR_GEN_AI_REQUEST_STOP_SEQUENCES] = sequences;
  return attributes;
}
