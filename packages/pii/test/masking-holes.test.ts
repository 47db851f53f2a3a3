import { describe, expect, it } from 'vitest';
import { createMasker, type MaskTally } from '@llm-otel/pii';
import { fakeSecret } from './support/fake-secrets';

/** Holes in what was scanned (issue 8, item 5) and the URL host rule. */
const masker = createMasker();
const tally = (): MaskTally => ({ count: 0, types: new Set() });

describe('attribute keys are masked', () => {
  it('masks personal data in a key, counts it, and keeps the value rule of the original key', () => {
    const counts = tally();
    // `user.jane@example.com` is itself a well-formed address, so the whole of it is masked.
    expect(masker.maskAttributes({ 'user.jane@example.com.plan': 'gold', 'user.jane@example.com.password': 'hunter22', ok: 1 }, counts)).toEqual({
      '<EMAIL>.plan': 'gold',
      '<EMAIL>.password': '<SECRET>',
      ok: 1,
    });
    expect(counts).toEqual({ count: 3, types: new Set(['EMAIL', 'SECRET']) });
  });

  it('leaves ordinary keys, and the same object when no key or value changed', () => {
    const attributes = { 'gen_ai.usage.input_tokens': 12, 'http.response.status_code': 200, 'customer.tier': 'gold' };
    expect(masker.maskAttributes(attributes)).toBe(attributes);
  });

  it('finds an IPv4 address after a dot in a key, still not inside a longer dotted number', () => {
    expect(masker.maskAttributes({ 'net.peer.203.0.113.7.count': 3 })).toEqual({ 'net.peer.<IP_ADDRESS>.count': 3 });
    expect(masker.maskString('oid 1.3.6.1.4.1.311 and 1.2.3.4.5')).toBe('oid 1.3.6.1.4.1.311 and 1.2.3.4.5');
  });

  it('masks a key with an e-mail even when its value is not a string', () => {
    expect(masker.maskAttributes({ 'quota/bob@corp.io': 42, 'flag/bob@corp.io': true })).toEqual({ 'quota/<EMAIL>': 42, 'flag/<EMAIL>': true });
  });

  it('keeps both attributes when two keys mask to the same key', () => {
    expect(masker.maskAttributes({ 'jane@example.com': 'a', 'bob@corp.io': 'b', '<EMAIL>~2': 'c' })).toEqual({
      '<EMAIL>': 'a',
      '<EMAIL>~2': 'c',
      '<EMAIL>~3': 'b',
    });
  });
});

describe('detection sees through JSON and URL escapes, masking the escaped text', () => {
  it('\\u0040 and other \\uXXXX escapes, also escaped once more inside a JSON string', () => {
    expect(masker.maskString('{"to":"jane\\u0040example.com"}')).toBe('{"to":"<EMAIL>"}');
    expect(masker.maskString('{"to":"jane\\u0040example\\u002ecom"}')).toBe('{"to":"<EMAIL>"}');
    // Tool-call arguments cut mid-stream, kept as a string inside gen_ai.output.messages.
    expect(masker.maskString('{"arguments":"{\\"email\\":\\"jane\\\\u0040example.com\\", \\"card\\":\\"4111\\\\u00201111 1111 1111')).toBe(
      '{"arguments":"{\\"email\\":\\"<EMAIL>\\", \\"card\\":\\"<CREDIT_CARD>',
    );
  });

  it('%40 and other ASCII URL escapes', () => {
    expect(masker.maskString('https://h/unsubscribe?email=jane%40example.com&x=1')).toBe('https://h/unsubscribe?email=<EMAIL>&x=1');
    expect(masker.maskString('/users/jane%2Edoe%40example%2Ecom/orders')).toBe('/users/<EMAIL>/orders');
  });

  it('gives operators the decoded value, so a pseudonym is the same however the value was written', () => {
    const pseudonyms = createMasker({ operator: { kind: 'pseudonym', key: 'k', keyId: 'k1' } });
    expect(pseudonyms.maskString('jane\\u0040example.com')).toBe(pseudonyms.maskString('jane@example.com'));
    expect(pseudonyms.maskString('jane%40example.com')).toBe(pseudonyms.maskString('jane@example.com'));
  });

  it('leaves text whose escapes hide nothing unchanged', () => {
    for (const text of ['50% off, 100%% sure', 'C:\\\\Users\\\\x', 'caf\\u00e9 au lait', 'a%2Fb%2Fc', 'x \\/ y']) {
      expect(masker.maskString(text), text).toBe(text);
    }
  });
});

describe('found by the adversarial suite', () => {
  it('a key, token or number at the start of a line in a JSON message attribute (after \\n)', () => {
    const line = (text: string) => JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `see\n${text}` }] }]);
    const cases: Array<[string, string]> = [
      [fakeSecret.openaiProject('nl'), '<OPENAI_API_KEY>'],
      [fakeSecret.anthropic('nl'), '<ANTHROPIC_API_KEY>'],
      [fakeSecret.awsAccessKey('nl'), '<AWS_ACCESS_KEY>'],
      [fakeSecret.githubPat('nl'), '<GITHUB_TOKEN>'],
      [fakeSecret.google('nl'), '<GOOGLE_API_KEY>'],
      [fakeSecret.jwt('nl'), '<JWT>'],
      [`Bearer ${fakeSecret.opaque('nl', 40)}`, 'Bearer <BEARER_TOKEN>'],
      [`X-Api-Key: ${fakeSecret.opaque('nl', 30)}`, 'X-Api-Key: <SECRET>'],
      ['+1 415-555-2671', '<PHONE>'],
    ];
    for (const [text, masked] of cases) expect(masker.maskString(line(text)), text).toBe(line(masked));
  });

  it('a phone number after a dot in a key', () => {
    expect(masker.maskAttributes({ 'app.key.010-1234-5678': 'x' })).toEqual({ 'app.key.<PHONE>': 'x' });
  });

  it('an IBAN right after a JSON line break (\\n) in a message attribute', () => {
    expect(masker.maskString('[{"content":"see\\nGB82 WEST 1234 5698 7654 32"}]')).toBe('[{"content":"see\\n<IBAN>"}]');
    expect(masker.maskString('"x":"\\nDE89370400440532013000"')).toBe('"x":"\\n<IBAN>"');
  });
});

describe('URL attributes keep their host, like server.address', () => {
  it('url.full and http.url: the host stays, credentials and personal data in userinfo, path and query are masked', () => {
    expect(masker.maskString('http://127.0.0.1:4318/v1/traces', 'url.full')).toBe('http://127.0.0.1:4318/v1/traces');
    expect(masker.maskString('http://[::1]:8080/x', 'url.full')).toBe('http://[::1]:8080/x');
    expect(masker.maskString('https://10.0.0.7/users/jane@example.com?token=abcdef123&ip=203.0.113.9', 'http.url')).toBe(
      'https://10.0.0.7/users/<EMAIL>?token=<URL_CREDENTIAL>&ip=<IP_ADDRESS>',
    );
    expect(masker.maskString('https://app:s3cretpass@203.0.113.5:8443/', 'url.full')).toBe('https://app:<URL_CREDENTIAL>@203.0.113.5:8443/');
    // Elsewhere an address is still an address.
    expect(masker.maskString('peer 127.0.0.1 refused', 'note')).toBe('peer <IP_ADDRESS> refused');
    expect(masker.maskString('203.0.113.42', 'server.address')).toBe('203.0.113.42');
  });
});
