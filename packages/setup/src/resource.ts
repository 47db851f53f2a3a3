import { inspect } from 'node:util';
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { defaultResource, detectResources, envDetector, hostDetector, processDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { Masker } from '@llm-otel/pii';
import type { SetupOptions } from './options';

/**
 * SDK defaults, then what the environment says (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, host,
 * process), then the options: explicit options win.
 */
export function buildResource(options: SetupOptions): Resource {
  const explicit: Attributes = { ...options.resourceAttributes };
  if (options.serviceName) explicit['service.name'] = options.serviceName;
  if (options.serviceVersion) explicit['service.version'] = options.serviceVersion;
  return defaultResource()
    .merge(detectResources({ detectors: [hostDetector, processDetector, envDetector] }))
    .merge(resourceFromAttributes(explicit));
}

/**
 * The resource with every attribute masked, given to both the tracer and the meter provider: before,
 * spans were masked at export and metrics carried the raw resource (`process.command_args` with
 * `--api-key=…`, a token in OTEL_RESOURCE_ATTRIBUTES). Attributes still being detected (host.id) are
 * masked when they arrive.
 *
 * Masked at its first use, not here: nothing reads a resource before the first export, and masking its
 * ~20 attributes is the masking engine's first run (its patterns compiled then), 12–14 ms of a
 * 34 ms setupTelemetry() (issue 11, start-up; measured with timers around each step of set-up).
 */
export function maskResource(resource: Resource, masker: Masker): Resource {
  return new ResourceMaskedOnFirstUse(() => maskedNow(resource, masker));
}

/**
 * A Resource that builds the masked one at the first read of any member and delegates to it. The raw
 * resource lives only in the closure: nothing on this object (enumeration, JSON, `util.inspect`)
 * reaches it.
 */
class ResourceMaskedOnFirstUse implements Resource {
  #mask: (() => Resource) | undefined;
  #masked: Resource | undefined;

  constructor(mask: () => Resource) {
    this.#mask = mask;
  }

  #resource(): Resource {
    if (!this.#masked) {
      this.#masked = (this.#mask as () => Resource)();
      this.#mask = undefined;
    }
    return this.#masked;
  }

  get attributes(): Attributes {
    return this.#resource().attributes;
  }

  get asyncAttributesPending(): boolean | undefined {
    return this.#resource().asyncAttributesPending;
  }

  get schemaUrl(): string | undefined {
    return this.#resource().schemaUrl;
  }

  waitForAsyncAttributes(): Promise<void> {
    return this.#resource().waitForAsyncAttributes?.() ?? Promise.resolve();
  }

  merge(other: Resource | null): Resource {
    return this.#resource().merge(other);
  }

  getRawAttributes(): ReturnType<Resource['getRawAttributes']> {
    return this.#resource().getRawAttributes();
  }

  toJSON(): unknown {
    return { attributes: this.attributes, schemaUrl: this.schemaUrl };
  }

  [inspect.custom](): string {
    return `Resource ${inspect(this.toJSON())}`;
  }
}

function maskedNow(resource: Resource, masker: Masker): Resource {
  // Raw attributes list a key once per merged resource, the first defined value winning (that is how
  // Resource.attributes reads them); collapse each key the same way, then mask its one value.
  const byKey = new Map<string, RawValue[]>();
  for (const [key, value] of resource.getRawAttributes()) byKey.set(key, [...(byKey.get(key) ?? []), value]);
  const masked: Record<string, RawValue> = {};
  for (const [key, values] of byKey) {
    const value = values.some(isPromise) ? firstDefined(values) : values.find((candidate) => candidate != null);
    masked[key] = isPromise(value) ? value.then((settled) => maskValue(key, settled, masker)) : maskValue(key, value, masker);
  }
  return resourceFromAttributes(masked, { schemaUrl: resource.schemaUrl });
}

type RawValue = AttributeValue | undefined | Promise<AttributeValue | undefined>;

async function firstDefined(values: RawValue[]): Promise<AttributeValue | undefined> {
  for (const value of values) {
    const settled = await value;
    if (settled != null) return settled;
  }
  return undefined;
}

/**
 * Masked until masking changes nothing more. A replacement can itself match a detector
 * (`--api-key=<ANTHROPIC_API_KEY>` is then a key=value secret), and PiiMaskingSpanProcessor masks the
 * spans' resource once more at export: from a fixed point it gets the same value, so spans and
 * metrics show the same resource.
 */
function maskValue(key: string, value: AttributeValue | undefined, masker: Masker): AttributeValue | undefined {
  if (value == null) return undefined;
  let current: AttributeValue | undefined = value;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next: AttributeValue | undefined = masker.maskAttributes({ [key]: current })[key];
    if (JSON.stringify(next) === JSON.stringify(current)) return next;
    current = next;
  }
  return current;
}

const MAX_PASSES = 4;

function isPromise(value: unknown): value is Promise<AttributeValue | undefined> {
  return typeof (value as Promise<unknown> | undefined)?.then === 'function';
}
