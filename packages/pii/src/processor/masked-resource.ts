import { inspect } from 'node:util';
import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Masker } from '../masker';

type Resource = ReadableSpan['resource'];
type RawResourceAttributes = ReturnType<Resource['getRawAttributes']>;

/**
 * A view of a Resource whose attributes are masked on first read. One view per Resource object
 * (`maskedResourceFor`), so exporters that group spans by resource identity still group them, and the
 * masking is done once per resource, not per span. While asynchronous resource detectors are still
 * pending, the masked attributes are not cached, so late attributes are masked too. The original lives
 * in a private field, out of reach of enumeration, JSON and `util.inspect` (see `MaskedReadableSpan`).
 */
class MaskedResource implements Resource {
  readonly #original: Resource;
  readonly #masker: Masker;
  #masked: Attributes | undefined;

  constructor(original: Resource, masker: Masker) {
    this.#original = original;
    this.#masker = masker;
  }

  get attributes(): Attributes {
    if (this.#masked) return this.#masked;
    const masked = this.#masker.maskAttributes(this.#original.attributes);
    if (!this.#original.asyncAttributesPending) this.#masked = masked;
    return masked;
  }

  get asyncAttributesPending(): boolean | undefined {
    return this.#original.asyncAttributesPending;
  }

  get schemaUrl(): string | undefined {
    return this.#original.schemaUrl;
  }

  waitForAsyncAttributes(): Promise<void> {
    return this.#original.waitForAsyncAttributes?.() ?? Promise.resolve();
  }

  merge(other: Resource | null): Resource {
    return maskedResourceFor(this.#original.merge(other), this.#masker);
  }

  getRawAttributes(): RawResourceAttributes {
    return Object.entries(this.attributes);
  }

  toJSON(): Record<string, unknown> {
    return { attributes: this.attributes, schemaUrl: this.schemaUrl };
  }

  [inspect.custom](depth: number, options: Parameters<typeof inspect>[1]): string {
    return `Resource ${inspect(this.toJSON(), { ...options, depth: options?.depth === null ? null : depth })}`;
  }
}

const views = new WeakMap<Masker, WeakMap<Resource, MaskedResource>>();

export function maskedResourceFor(resource: Resource, masker: Masker): Resource {
  let perMasker = views.get(masker);
  if (!perMasker) {
    perMasker = new WeakMap();
    views.set(masker, perMasker);
  }
  let view = perMasker.get(resource);
  if (!view) {
    view = new MaskedResource(resource, masker);
    perMasker.set(resource, view);
  }
  return view;
}
