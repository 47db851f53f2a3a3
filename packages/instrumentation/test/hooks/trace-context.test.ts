import { describe, expect, test } from 'vitest';
import { dispatchWithHeaders, initWithHeaders } from '../../src/hooks/trace-context';

// Adding trace-context headers must change nothing else: the caller's objects stay as they were, and
// a request that already carries a field gets nothing more.
const added = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

describe('a fetch init', () => {
  test('gets the headers in a new init around a copy; the caller’s init and Headers are untouched', () => {
    const headers = new Headers({ authorization: 'Bearer x' });
    const init: RequestInit = { method: 'POST', headers, body: '{}' };
    const sent = initWithHeaders(init, added)!;
    expect(sent).not.toBe(init);
    expect(init.headers).toBe(headers);
    expect([...headers]).toEqual([['authorization', 'Bearer x']]);
    expect([...new Headers(sent.headers)]).toEqual([
      ['authorization', 'Bearer x'],
      ['traceparent', added.traceparent],
    ]);
    expect(sent.body).toBe('{}');
  });

  test('record and pair-list headers, and no init at all', () => {
    expect([...new Headers(initWithHeaders({ headers: { 'X-A': '1' } }, added)!.headers)]).toEqual([
      ['traceparent', added.traceparent],
      ['x-a', '1'],
    ]);
    expect([...new Headers(initWithHeaders({ headers: [['x-a', '1']] }, added)!.headers)]).toHaveLength(2);
    expect([...new Headers(initWithHeaders(undefined, added)!.headers)]).toEqual([['traceparent', added.traceparent]]);
  });

  test('a Headers (what SDKs pass) with combined values and mixed-case names keeps every value', () => {
    const headers = new Headers([
      ['X-Multi', 'a'],
      ['x-multi', 'b'],
      ['Accept', 'application/json'],
    ]);
    const sent = initWithHeaders({ headers }, added)!;
    expect([...new Headers(sent.headers)]).toEqual([
      ['accept', 'application/json'],
      ['traceparent', added.traceparent],
      ['x-multi', 'a, b'],
    ]);
    expect(initWithHeaders({ headers: new Headers({ TraceParent: 'theirs' }) }, added)).toBeUndefined();
  });

  test('nothing is added when a field is there already (any case) or the init is not a plain object', () => {
    expect(initWithHeaders({ headers: { TraceParent: 'theirs' } }, added)).toBeUndefined();
    expect(initWithHeaders(Object.create({ method: 'POST' }) as RequestInit, added)).toBeUndefined();
  });
});

describe('undici dispatch options', () => {
  const base = { origin: 'https://api.openai.com', path: '/v1/chat/completions', method: 'POST' as const };

  test('object, flat-array and pair-array headers, copied', () => {
    const object = { 'content-type': 'application/json' };
    expect(dispatchWithHeaders({ ...base, headers: object }, added)!.headers).toEqual({ ...object, ...added });
    expect(object).toEqual({ 'content-type': 'application/json' });
    const flat = ['content-type', 'application/json'];
    expect(dispatchWithHeaders({ ...base, headers: flat }, added)!.headers).toEqual([...flat, 'traceparent', added.traceparent]);
    expect(flat).toHaveLength(2);
    const pairs = [['content-type', 'application/json']];
    expect(dispatchWithHeaders({ ...base, headers: pairs } as never, added)!.headers).toEqual([...pairs, ['traceparent', added.traceparent]]);
    expect(dispatchWithHeaders(base, added)!.headers).toEqual(added);
  });

  test('nothing is added when a field is there already, or for a shape it does not know', () => {
    expect(dispatchWithHeaders({ ...base, headers: { Traceparent: 'theirs' } }, added)).toBeUndefined();
    expect(dispatchWithHeaders({ ...base, headers: ['TRACEPARENT', 'theirs'] }, added)).toBeUndefined();
    expect(dispatchWithHeaders({ ...base, headers: new Map([['a', 'b']]) } as never, added)).toBeUndefined();
  });
});
