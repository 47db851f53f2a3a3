import { inspect } from 'node:util';
import { SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { PiiMaskingSpanProcessor } from '@llm-otel/pii';
import { resourceFromAttributes } from './support/sdk-resources';

/**
 * Nothing handed to another component may expose the unmasked span: not through inspection
 * (`util.inspect`, which console.log and the diag console logger use), enumeration, spread or JSON
 * (issue 8, item 3). Each way of looking is tried on the span view, its resource and its events.
 */
const EMAIL = 'jane.doe@example.com';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'svc', 'deployment.owner': EMAIL }),
  spanProcessors: [new PiiMaskingSpanProcessor(new SimpleSpanProcessor(exporter))],
});
afterAll(() => provider.shutdown());

function maskedView(): ReadableSpan {
  exporter.reset();
  const span = provider.getTracer('app').startSpan(`chat for ${EMAIL}`);
  span.setAttribute('customer', EMAIL);
  span.addEvent(`mail ${EMAIL}`, { to: EMAIL });
  span.setStatus({ code: SpanStatusCode.ERROR, message: `failed for ${EMAIL}` });
  span.end();
  return exporter.getFinishedSpans()[0]!;
}

const WAYS_TO_LOOK: Record<string, (value: object) => string> = {
  'util.inspect': (value) => inspect(value),
  'util.inspect, showHidden, unlimited depth': (value) => inspect(value, { showHidden: true, depth: Infinity, getters: true }),
  'util.inspect, showProxy': (value) => inspect(value, { showProxy: true, depth: Infinity }),
  'inside an array, as the exporter logs it': (value) => inspect([[value]], { depth: Infinity }),
  'JSON.stringify': (value) => JSON.stringify(value) ?? '',
  'Object.keys and their values': (value) =>
    inspect(
      Object.keys(value).map((key) => (value as Record<string, unknown>)[key]),
      { depth: Infinity },
    ),
  'own property names, symbols included': (value) =>
    inspect(
      Reflect.ownKeys(value).map((key) => (value as Record<PropertyKey, unknown>)[key]),
      { depth: Infinity, showHidden: true },
    ),
  'for-in': (value) => {
    const seen: unknown[] = [];
    for (const key in value) seen.push((value as Record<string, unknown>)[key]);
    return inspect(seen, { depth: Infinity });
  },
  spread: (value) => inspect({ ...value }, { depth: Infinity, showHidden: true }),
  structuredClone: (value) => {
    try {
      return inspect(structuredClone(value), { depth: Infinity });
    } catch {
      return '';
    }
  },
};

describe('the masked span view exposes only masked content', () => {
  const parts: Record<string, () => object> = {
    'the span view': () => maskedView(),
    'its resource': () => maskedView().resource,
    'its events': () => maskedView().events,
  };
  for (const [part, get] of Object.entries(parts)) {
    for (const [way, look] of Object.entries(WAYS_TO_LOOK)) {
      it(`${part}: ${way}`, () => {
        expect(look(get())).not.toContain(EMAIL);
      });
    }
  }

  it('still shows the masked content to inspection and JSON, for debugging', () => {
    const view = maskedView();
    const printed = inspect(view, { depth: Infinity });
    expect(printed).toContain('chat for <EMAIL>');
    expect(printed).toContain("'deployment.owner': '<EMAIL>'");
    const json = JSON.parse(JSON.stringify(view)) as { name: string; attributes: Record<string, unknown>; resource: { attributes: Record<string, unknown> } };
    expect(json.name).toBe('chat for <EMAIL>');
    expect(json.attributes['customer']).toBe('<EMAIL>');
    expect(json.resource.attributes['deployment.owner']).toBe('<EMAIL>');
  });
});
