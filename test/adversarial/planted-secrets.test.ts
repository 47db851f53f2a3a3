import { SpanStatusCode, type Attributes, type AttributeValue, type Link } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedSpan } from '@llm-otel/otlp-receiver';
import { DEFAULT_ALLOWED_KEYS } from '@llm-otel/pii';
import { fakeSecret } from '../../packages/pii/test/support/fake-secrets';
import { everythingReceived, maskingPipeline, type MaskingPipeline } from './support/masking-pipeline';

/**
 * An attacker (or a careless prompt) plants every secret kind the masker covers in every place a span
 * can carry it; the spans go through the real PiiMaskingSpanProcessor, a BatchSpanProcessor and a real
 * OTLP exporter into the real receiver, and none of the planted values may arrive.
 *
 * To extend: add a row to KINDS (a text that carries the secret, and the strings that must never
 * arrive), to PLACES (how a span carries a text), or to KEYED (an attribute whose key makes its value
 * a secret). Every row is crossed with every column; each cell is its own span, so a leak names the
 * kind and the place. Values are generated per cell (no secret-shaped literal is committed).
 */

interface Plant {
  /** What is written into the span. */
  text: string;
  /** What must never reach the backend (the secret itself, and decoded forms of an escaped one). */
  needles: string[];
}

const CARDS = ['4111 1111 1111 1111', '5555-5555-5555-4444', '378282246310005'];
const SSNS = ['536-22-1049', '219-09-9999'];
const RRNS = ['900101-1234568', '850315-2345671'];
const IBANS = ['DE89 3704 0044 0532 0130 00', 'GB82 WEST 1234 5698 7654 32'];
const PHONES = ['+1 415-555-2671', '+44 20 7946 0958', '010-1234-5678'];
const EMAILS = ['jane.doe@example.com', 'minsu.kim@naver.com'];

function pick(values: readonly string[], seed: string): string {
  let h = 0;
  for (let i = 0; i < seed.length; i++) h = (h * 31 + seed.charCodeAt(i)) >>> 0;
  return values[h % values.length]!;
}

const plain = (text: string): Plant => ({ text, needles: [text] });
const within = (secret: string, text: string): Plant => ({ text, needles: [secret] });

/** Each secret kind the README lists as covered, as it would be written into text. */
const KINDS: Record<string, (seed: string) => Plant> = {
  EMAIL: (seed) => plain(pick(EMAILS, seed)),
  'EMAIL, JSON-escaped @ (a tool call cut mid-stream)': (seed) => {
    const email = pick(EMAILS, seed);
    return { text: email.replace('@', '\\u0040'), needles: [email, email.replace('@', '\\u0040'), email.split('@')[0]!] };
  },
  'EMAIL, URL-escaped @': (seed) => {
    const email = pick(EMAILS, seed);
    return { text: `/unsubscribe?email=${email.replace('@', '%40')}`, needles: [email, email.replace('@', '%40')] };
  },
  CREDIT_CARD: (seed) => plain(pick(CARDS, seed)),
  US_SSN: (seed) => within(pick(SSNS, seed), `SSN ${pick(SSNS, seed)}`),
  KR_RRN: (seed) => plain(pick(RRNS, seed)),
  IBAN: (seed) => plain(pick(IBANS, seed)),
  PHONE: (seed) => plain(pick(PHONES, seed)),
  IP_ADDRESS: () => plain('203.0.113.77'),
  OPENAI_API_KEY: (seed) => plain(fakeSecret.openaiProject(seed)),
  ANTHROPIC_API_KEY: (seed) => plain(fakeSecret.anthropic(seed)),
  AWS_ACCESS_KEY: (seed) => plain(fakeSecret.awsAccessKey(seed)),
  AWS_SECRET_KEY: (seed) => {
    const secret = fakeSecret.awsSecretKey(seed);
    return within(secret, `aws_secret_access_key = ${secret}`);
  },
  GITHUB_TOKEN: (seed) => plain(fakeSecret.githubPat(seed)),
  GOOGLE_API_KEY: (seed) => plain(fakeSecret.google(seed)),
  JWT: (seed) => plain(fakeSecret.jwt(seed)),
  SLACK_TOKEN: (seed) => plain(fakeSecret.slackBot(seed)),
  STRIPE_KEY: (seed) => plain(fakeSecret.stripeLive(seed)),
  GITLAB_TOKEN: (seed) => plain(fakeSecret.gitlabPat(seed)),
  HUGGINGFACE_TOKEN: (seed) => plain(fakeSecret.huggingFace(seed)),
  NPM_TOKEN: (seed) => plain(fakeSecret.npm(seed)),
  PRIVATE_KEY: (seed) => {
    const pem = fakeSecret.pemPrivateKey(seed);
    // The key material, line by line: no line of it may arrive.
    const lines = pem.split('\n').slice(1, -1);
    if (lines.length === 0) throw new Error('the fake key has no material lines');
    return { text: pem, needles: lines };
  },
  BEARER_TOKEN: (seed) => {
    const token = fakeSecret.opaque(seed, 40);
    return within(token, `Authorization: Bearer ${token}`);
  },
  'SECRET: password assignment': (seed) => {
    const pw = fakeSecret.opaque(seed, 14);
    return within(pw, `"password": "${pw}"`);
  },
  'URL_CREDENTIAL: userinfo password': (seed) => {
    const pw = fakeSecret.opaque(seed, 14);
    return within(pw, `postgres://app:${pw}@db.internal:5432/app`);
  },
  'URL_CREDENTIAL: OAuth code and token parameters': (seed) => {
    const code = fakeSecret.opaque(`${seed}c`, 24);
    const token = fakeSecret.opaque(`${seed}t`, 24);
    return { text: `https://app.test/cb?code=${code}&state=1#access_token=${token}`, needles: [code, token] };
  },
  'URL_CREDENTIAL: SAS and presigned signatures': (seed) => {
    const sig = fakeSecret.opaque(`${seed}s`, 43);
    const amz = fakeSecret.opaque(`${seed}a`, 64);
    return { text: `https://a.blob.core.windows.net/c/f?sv=2022-11-02&sp=r&sig=${sig}%3D and /o?X-Amz-Signature=${amz}`, needles: [sig, amz] };
  },
  'URL_CREDENTIAL: connection string key': (seed) => {
    const key = fakeSecret.opaque(seed, 44);
    return within(key, `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=${key}=`);
  },
  'SECRET: SQL PASSWORD literal': (seed) => {
    const pw = fakeSecret.opaque(seed, 14);
    return within(pw, `ALTER ROLE app WITH PASSWORD '${pw}'`);
  },
  'SECRET: SQL IDENTIFIED BY': (seed) => {
    const pw = fakeSecret.opaque(seed, 14);
    return within(pw, `CREATE USER 'app'@'%' IDENTIFIED BY "${pw}"`);
  },
  'SECRET: --password flag': (seed) => {
    const pw = fakeSecret.opaque(seed, 14);
    return within(pw, `node server.js --password ${pw} --port 8080`);
  },
  'SECRET: header line with a key': (seed) => {
    const key = fakeSecret.opaque(seed, 32);
    return within(key, `Ocp-Apim-Subscription-Key: ${key}`);
  },
  'SECRET: Basic credentials': (seed) => {
    const basic = Buffer.from(`user:${fakeSecret.opaque(seed, 12)}`).toString('base64');
    return within(basic, `Authorization: Basic ${basic}`);
  },
};

interface SpanLike {
  name: string;
  attributes: Attributes;
  events: Array<{ name: string; attributes?: Attributes }>;
  links: Link[];
  status?: string;
}

/** The cell id names secret kinds (`SECRET: password …`): it is the one attribute left unscanned. */
const pii = { allowedKeys: [...DEFAULT_ALLOWED_KEYS, 'cell.id'] };

const LINKED = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };

/** Every place a span carries a text. */
const PLACES: Record<string, (text: string, span: SpanLike) => void> = {
  'span name': (text, span) => (span.name = `handle ${text}`),
  'attribute value': (text, span) => (span.attributes['app.note'] = text),
  'attribute key': (text, span) => (span.attributes[`app.note.${text}`] = 'x'),
  'array attribute value': (text, span) => (span.attributes['app.notes'] = ['ok', text]),
  'GenAI message JSON': (text, span) =>
    (span.attributes['gen_ai.input.messages'] = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `please see\n${text}` }] }])),
  'event name': (text, span) => span.events.push({ name: `saw ${text}` }),
  'event attribute value': (text, span) => span.events.push({ name: 'e', attributes: { 'event.note': text } }),
  'event attribute key': (text, span) => span.events.push({ name: 'e', attributes: { [`event.${text}`]: 1 } }),
  'link attribute value': (text, span) => span.links.push({ context: LINKED, attributes: { 'link.note': text } }),
  'link attribute key': (text, span) => span.links.push({ context: LINKED, attributes: { [`link.${text}`]: true } }),
  'status message': (text, span) => (span.status = `failed: ${text}`),
};

/** Attributes whose key makes the value a secret, in the forms semconv and libraries write them. */
const KEYED: Record<string, (secret: string) => [string, AttributeValue]> = {
  'http.request.header.ocp-apim-subscription-key (array)': (s) => ['http.request.header.ocp-apim-subscription-key', [s]],
  'http.request.header.x-goog-api-key (string)': (s) => ['http.request.header.x-goog-api-key', s],
  'http.request.header.authorization (array)': (s) => ['http.request.header.authorization', [`Basic ${s}`]],
  'http.request.header.proxy-authorization (string)': (s) => ['http.request.header.proxy-authorization', `Basic ${s}`],
  'http.request.header.cookie (array)': (s) => ['http.request.header.cookie', [`sid=${s}`]],
  'http.response.header.set-cookie (array)': (s) => ['http.response.header.set-cookie', [`sid=${s}; HttpOnly`]],
  'http.request.header.x-amz-security-token (string)': (s) => ['http.request.header.x-amz-security-token', s],
  'process.command_args with a lone --password': (s) => ['process.command_args', ['node', 'app.js', '--password', s]],
  'process.command_args with --token=': (s) => ['process.command_args', ['node', 'app.js', `--token=${s}`]],
  'process.command_line with --api-key': (s) => ['process.command_line', `node app.js --api-key ${s}`],
  'url.full with userinfo': (s) => ['url.full', `https://svc:${s}@api.internal/v1`],
  'db.query.text setting a password': (s) => ['db.query.text', `ALTER USER app IDENTIFIED BY '${s}'`],
  'db.password (secret key)': (s) => ['db.password', s],
};

const KEYED_PLACES: Record<string, (key: string, value: AttributeValue, span: SpanLike) => void> = {
  'span attributes': (key, value, span) => (span.attributes[key] = value),
  'event attributes': (key, value, span) => span.events.push({ name: 'e', attributes: { [key]: value } }),
  'link attributes': (key, value, span) => span.links.push({ context: LINKED, attributes: { [key]: value } }),
};

interface Cell {
  id: string;
  needles: string[];
}

function record(pipeline: MaskingPipeline, id: string, build: (span: SpanLike) => void): void {
  const like: SpanLike = { name: 'cell', attributes: { 'cell.id': id }, events: [], links: [] };
  build(like);
  const span = pipeline.provider.getTracer('planted-secrets').startSpan(like.name, { attributes: like.attributes, links: like.links });
  for (const event of like.events) span.addEvent(event.name, event.attributes);
  if (like.status !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: like.status });
  span.end();
}

function leaksIn(spans: ReceivedSpan[], cells: Cell[]): string[] {
  const leaks: string[] = [];
  for (const cell of cells) {
    for (const needle of cell.needles) {
      for (const span of spans) {
        const text = JSON.stringify(span, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
        if (text.includes(needle)) leaks.push(`${cell.id}: "${needle}" arrived in the span of cell ${String(span.attributes['cell.id'])}`);
      }
    }
  }
  return leaks;
}

describe.each(['http/protobuf', 'grpc'] as const)('planted secrets through the real pipeline (%s)', (protocol) => {
  const cells: Cell[] = [];
  const resourceCells: Cell[] = [];
  let spans: MaskingPipeline;
  let resourceSpans: MaskingPipeline;

  beforeAll(async () => {
    spans = await maskingPipeline({ protocol, pii });
    for (const [kind, plant] of Object.entries(KINDS)) {
      for (const [place, put] of Object.entries(PLACES)) {
        const id = `${kind} | ${place}`;
        const { text, needles } = plant(id);
        cells.push({ id, needles });
        record(spans, id, (span) => put(text, span));
      }
    }
    for (const [name, keyed] of Object.entries(KEYED)) {
      for (const [place, put] of Object.entries(KEYED_PLACES)) {
        const id = `${name} | ${place}`;
        const secret = fakeSecret.opaque(id, 24);
        cells.push({ id, needles: [secret] });
        const [key, value] = keyed(secret);
        record(spans, id, (span) => put(key, value, span));
      }
    }

    // The resource: every kind as a value and inside a key, and every keyed attribute.
    const resource: Attributes = {};
    for (const [kind, plant] of Object.entries(KINDS)) {
      const asValue = plant(`${kind} | resource value`);
      const asKey = plant(`${kind} | resource key`);
      resource[`app.${kind.replace(/[^A-Za-z_]/g, '_')}`] = asValue.text;
      resource[`app.key.${asKey.text}`] = 'x';
      resourceCells.push({ id: `${kind} | resource value`, needles: asValue.needles }, { id: `${kind} | resource key`, needles: asKey.needles });
    }
    for (const [name, keyed] of Object.entries(KEYED)) {
      const secret = fakeSecret.opaque(`${name} | resource`, 24);
      const [key, value] = keyed(secret);
      resource[key] = value;
      resourceCells.push({ id: `${name} | resource`, needles: [secret] });
    }
    resourceSpans = await maskingPipeline({ protocol, pii, resource: resource as Record<string, AttributeValue> });
    record(resourceSpans, 'resource', () => {});

    await Promise.all([spans.provider.forceFlush(), resourceSpans.provider.forceFlush()]);
    await spans.receiver.waitForSpans(cells.length, 25_000);
    await resourceSpans.receiver.waitForSpans(1, 25_000);
  });

  afterAll(async () => {
    await spans?.close();
    await resourceSpans?.close();
  });

  it('every planted span arrived, each with something to look for (so the absence below is not vacuous)', () => {
    expect([...cells, ...resourceCells].filter((cell) => cell.needles.length === 0 || cell.needles.some((needle) => needle.length < 6))).toEqual([]);
    const arrived = new Set(spans.receiver.spans.map((span) => span.attributes['cell.id']));
    expect(cells.filter((cell) => !arrived.has(cell.id)).map((cell) => cell.id)).toEqual([]);
    expect(spans.receiver.spans).toHaveLength(cells.length);
    expect(cells.length).toBe(Object.keys(KINDS).length * Object.keys(PLACES).length + Object.keys(KEYED).length * Object.keys(KEYED_PLACES).length);
  });

  it('no planted value arrives from any span part', () => {
    expect(leaksIn(spans.receiver.spans, cells)).toEqual([]);
  });

  it('no planted value arrives from the resource', () => {
    expect(resourceSpans.receiver.spans).toHaveLength(1);
    expect(leaksIn(resourceSpans.receiver.spans, resourceCells)).toEqual([]);
  });

  it('the spans still say what was masked, and keep their shape', () => {
    const all = everythingReceived(spans.receiver);
    expect(all).toContain('<URL_CREDENTIAL>');
    const card = spans.receiver.spans.find((span) => span.attributes['cell.id'] === 'CREDIT_CARD | attribute value')!;
    expect(card.attributes['app.note']).toBe('<CREDIT_CARD>');
    expect(card.attributes['llm_otel.redaction.masked.types']).toEqual(['CREDIT_CARD']);
    const url = spans.receiver.spans.find((span) => span.attributes['cell.id'] === 'url.full with userinfo | span attributes')!;
    expect(url.attributes['url.full']).toBe('https://svc:<URL_CREDENTIAL>@api.internal/v1');
  });
});
