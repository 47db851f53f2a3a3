import { afterEach, describe, expect, it, vi } from 'vitest';
import { diag } from '@opentelemetry/api';
import { compileOperator } from '../src/operators';
import { createMasker, createPseudonymiser } from '../src/index';
import { createIdentifierMasker } from '../src/identifiers/identifier-masker';

const KEY = 'pseudonym-key-for-tests-0123456789abcdef';
const OTHER_KEY = 'another-pseudonym-key-for-tests-0123456789';

afterEach(() => vi.restoreAllMocks());

describe('createPseudonymiser', () => {
  it('gives exactly what the pseudonym operator writes for a USER finding', () => {
    const operator = compileOperator({ kind: 'pseudonym', key: KEY, keyId: 'default' });
    const pseudonymise = createPseudonymiser(KEY);
    for (const id of ['cust-1182', 'Alice@Example.com', 'ü-42', '']) expect(pseudonymise(id)).toBe(operator('USER', id));
    expect(createPseudonymiser(Buffer.from(KEY), { keyId: 'k2', type: 'SESSION' })('s-1')).toBe(
      compileOperator({ kind: 'pseudonym', key: KEY, keyId: 'k2' })('SESSION', 's-1'),
    );
  });

  it('is stable for one key, different under another (rotation), and never contains the value', () => {
    const a = createPseudonymiser(KEY)('cust-1182');
    expect(createPseudonymiser(KEY)('cust-1182')).toBe(a);
    expect(a).toMatch(/^<USER:default:[0-9a-f]{16}>$/);
    expect(createPseudonymiser(OTHER_KEY)('cust-1182')).not.toBe(a);
    expect(createPseudonymiser(KEY)('cust-1183')).not.toBe(a);
  });

  it('refuses a key under 32 bytes without echoing it', () => {
    const short = 'short-secret-31-bytes-long-xxxxx'.slice(0, 31);
    expect(() => createPseudonymiser(short)).toThrow(/31 bytes; at least 32/);
    try {
      createPseudonymiser(short);
    } catch (error) {
      expect(String(error)).not.toContain(short);
    }
  });
});

describe('user.id and session.id in the masker', () => {
  it('pseudonymises them under the key, whatever the allow list says', () => {
    const masker = createMasker({ pseudonyms: { key: KEY, keyId: 'k1' }, allowedKeys: ['user.id', 'session.id'] });
    const masked = masker.maskAttributes({ 'user.id': 'cust-1182', 'session.id': 'sess-9', 'enduser.id': 'cust-1182', other: 'x' });
    expect(masked['user.id']).toBe(createPseudonymiser(KEY, { keyId: 'k1' })('cust-1182'));
    expect(masked['enduser.id']).toBe(masked['user.id']);
    expect(masked['session.id']).toBe(createPseudonymiser(KEY, { keyId: 'k1', type: 'SESSION' })('sess-9'));
    expect(masked.other).toBe('x');
  });

  it('without a key: <USER> / <SESSION>, and one diagnostic however many spans', () => {
    const warn = vi.spyOn(diag, 'warn');
    for (const masker of [createMasker(), createIdentifierMasker(undefined)]) {
      warn.mockClear();
      for (let i = 0; i < 3; i++) {
        const masked = masker.maskAttributes({ 'user.id': `cust-${i}`, 'session.id': 7 });
        expect(masked).toEqual({ 'user.id': '<USER>', 'session.id': '<SESSION>' });
      }
      const told = warn.mock.calls.filter(([message]) => String(message).includes('pseudonym key'));
      expect(told).toHaveLength(1);
      expect(String(told[0]![0])).toContain('LLM_OTEL_PSEUDONYM_KEY');
    }
  });

  it('the identifier-only masker (pii: false) touches nothing else', () => {
    const masker = createIdentifierMasker({ key: KEY });
    const attributes = { 'gen_ai.input.messages': 'jane@example.com', 'user.id': ['a', 'b'] };
    const masked = masker.maskAttributes(attributes);
    expect(masked['gen_ai.input.messages']).toBe('jane@example.com');
    expect(masked['user.id']).toEqual(['a', 'b'].map(createPseudonymiser(KEY)));
    expect(attributes['user.id']).toEqual(['a', 'b']);
  });

  it('a short key in the masking options throws at set-up', () => {
    expect(() => createMasker({ pseudonyms: { key: 'too-short' } })).toThrow(TypeError);
  });
});
