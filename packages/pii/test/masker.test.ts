import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createMasker, DEFAULT_SECRET_KEYS, type MaskTally } from '@llm-otel/pii';

const tally = (): MaskTally => ({ count: 0, types: new Set() });

describe('createMasker: keys', () => {
  it('replaces secret keys whole, matching the last segment without case, dashes or underscores', () => {
    const masker = createMasker();
    for (const key of ['http.request.header.authorization', 'X-Api-Key', 'app.API_KEY', 'set-cookie', 'db.password', 'oauth.client_secret', 'x-goog-api-key']) {
      expect(masker.maskString('anything at all', key), key).toBe('<SECRET>');
    }
    // A segment that only contains a secret word is not a secret key.
    expect(masker.maskString('1234 tokens', 'gen_ai.usage.input_tokens')).toBe('1234 tokens');
    expect(masker.maskString('jane@example.com', 'token_count')).toBe('<EMAIL>');
  });

  it('skips allow-listed keys and accepts replacement lists', () => {
    const masker = createMasker({ allowedKeys: ['customer.email'], secretKeys: [...DEFAULT_SECRET_KEYS, 'session'] });
    expect(masker.maskString('jane@example.com', 'customer.email')).toBe('jane@example.com');
    expect(masker.maskString('10.1.2.3', 'server.address')).toBe('<IP_ADDRESS>'); // no longer on the replaced list
    expect(masker.maskString('abc', 'http.session')).toBe('<SECRET>');
  });
});

describe('createMasker: values', () => {
  it('masks strings and string arrays, leaves numbers and booleans unless asked', () => {
    const masker = createMasker();
    const attributes = { a: 'mail jane@example.com', b: ['ok', 'card 4111111111111111'], n: 4111111111111111, t: true, nums: [1, 2] };
    const counts = tally();
    expect(masker.maskAttributes(attributes, counts)).toEqual({
      a: 'mail <EMAIL>',
      b: ['ok', 'card <CREDIT_CARD>'],
      n: 4111111111111111,
      t: true,
      nums: [1, 2],
    });
    expect(counts).toEqual({ count: 2, types: new Set(['EMAIL', 'CREDIT_CARD']) });
    expect(attributes.a).toBe('mail jane@example.com');
  });

  it('scans numbers with scanNumbers, turning a masked number into a string', () => {
    const masker = createMasker({ scanNumbers: true });
    expect(masker.maskAttributes({ card: 4111111111111111, count: 42, mixed: [42, 4111111111111111] })).toEqual({
      card: '<CREDIT_CARD>',
      count: 42,
      mixed: ['42', '<CREDIT_CARD>'],
    });
  });

  it('returns the same object when nothing was masked', () => {
    const attributes = { a: 'hello', b: 3 };
    expect(createMasker().maskAttributes(attributes)).toBe(attributes);
  });

  it('resolves overlaps by priority: a secret wins over the e-mail-looking part inside it', () => {
    const masker = createMasker();
    expect(masker.maskString('password: jane@example.com')).toBe('password: <SECRET>');
    expect(masker.scan('password: jane@example.com')).toEqual([{ type: 'SECRET', start: 10, end: 26 }]);
  });
});

describe('createMasker: fail closed', () => {
  const messages: string[] = [];
  const logger: DiagLogger = {
    error: (m) => messages.push(m),
    warn: (m) => messages.push(m),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  afterEach(() => diag.disable());

  it('replaces a value whose scan throws, and reports it once through diag', () => {
    diag.setLogger(logger, DiagLogLevel.WARN);
    const masker = createMasker({
      detectors: [
        {
          type: 'X',
          pattern: /x/,
          validate: () => {
            throw new Error('bug');
          },
        },
      ],
    });
    expect(masker.maskString('x 4111111111111111')).toBe('<REDACTED:scan_failed>');
    expect(masker.maskString('x again')).toBe('<REDACTED:scan_failed>');
    expect(masker.maskString('no match here')).toBe('no match here');
    expect(messages.filter((m) => m.includes('scan_failed'))).toHaveLength(1);
  });

  it("never quotes the value in the diagnostic, even when the detector's error does", () => {
    const logged: unknown[] = [];
    const record = (...args: unknown[]) => logged.push(...args);
    diag.setLogger({ error: record, warn: record, info: record, debug: record, verbose: record }, DiagLogLevel.ALL);
    const masker = createMasker({
      detectors: [
        {
          type: 'Y',
          pattern: /y/,
          validate: (m) => {
            throw new Error(`bad ${m} in jane@example.com`);
          },
        },
      ],
    });
    expect(masker.maskString('y jane@example.com')).toBe('<REDACTED:scan_failed>');
    const text = logged.map((entry) => (entry instanceof Error ? `${entry.message} ${entry.stack}` : String(entry))).join('\n');
    expect(text).toContain('masking failed in detector Y (Error)');
    expect(text).not.toContain('jane@example.com');
  });

  it('replaces values longer than maxScanLength', () => {
    expect(createMasker({ maxScanLength: 10 }).maskString('0123456789a')).toBe('<REDACTED:too_long>');
    expect(createMasker({ maxScanLength: 10 }).maskString('0123456789')).toBe('0123456789');
  });

  it('falls back to <TYPE> for a malformed pseudonym operator, with a diag error', () => {
    diag.setLogger(logger, DiagLogLevel.WARN);
    const masker = createMasker({ operator: { kind: 'pseudonym', key: '', keyId: 'k1' } });
    expect(masker.maskString('jane@example.com')).toBe('<EMAIL>');
    expect(messages.some((m) => m.includes('pseudonym'))).toBe(true);
  });
});

describe('operators', () => {
  const value = 'card 4111-1111-1111-1111 and jane@example.com';
  it('replace, redact and mask', () => {
    expect(createMasker().maskString(value)).toBe('card <CREDIT_CARD> and <EMAIL>');
    expect(createMasker({ operator: { kind: 'redact' } }).maskString(value)).toBe('card  and ');
    expect(createMasker({ operator: { kind: 'mask' } }).maskString(value)).toBe('card ****-****-****-1111 and ****@******e.com');
    expect(createMasker({ operator: { kind: 'mask', keep: 2, char: '#' } }).maskString('ssn 536-22-1049')).toBe('ssn ###-##-##49');
  });

  it('pseudonyms: deterministic per key and type, normalised, different under another key, length configurable', () => {
    const k1 = createMasker({ operator: { kind: 'pseudonym', key: 'secret-one', keyId: 'k1' } });
    const k2 = createMasker({ operator: { kind: 'pseudonym', key: 'secret-two', keyId: 'k2', hexLength: 32 } });
    const a = k1.maskString('4111 1111 1111 1111');
    expect(a).toMatch(/^<CREDIT_CARD:k1:[0-9a-f]{16}>$/);
    expect(k1.maskString('4111-1111-1111-1111')).toBe(a);
    const b = k2.maskString('4111 1111 1111 1111');
    expect(b).toMatch(/^<CREDIT_CARD:k2:[0-9a-f]{32}>$/);
    expect(b.slice(-17, -1)).not.toBe(a.slice(-17, -1));
    expect(k1.maskString('Jane@Example.com')).toBe(k1.maskString('jane@example.com'));
  });
});
