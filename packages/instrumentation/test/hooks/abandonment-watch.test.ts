import { describe, expect, test } from 'vitest';
import type { ObservedCall } from '../../src/hooks/observed-call';
import { observeInPlace } from '../../src/hooks/observed-response';

// The fetch hook registers what the caller may still read from for abandonment at the end of the
// turn the Response arrived in, and nothing when the call ended within it (issue 11: a
// registration kept every Response and its call until a full collection).

class RecordingRegistry extends FinalizationRegistry<ObservedCall> {
  readonly targets: object[] = [];
  constructor() {
    super(() => undefined);
  }
  override register(target: object, held: ObservedCall, token?: object): void {
    this.targets.push(target);
    super.register(target, held, token);
  }
}

/** The span side of a call, as far as the hook drives it: records that it ended. */
function callUnderTest(): ObservedCall & { endings: string[] } {
  const endings: string[] = [];
  const end = (how: string) => () => {
    endings.push(how);
  };
  return {
    endings,
    get ended() {
      return endings.length > 0;
    },
    wantsWholeJson: true,
    contextIn: (parent) => parent,
    onResponse: () => undefined,
    onChunk: () => undefined,
    onWholeJson: end('json'),
    onWholeText: end('text'),
    onWholeJsonInvalid: end('invalid'),
    onEnd: end('end'),
    onCancel: end('cancel'),
    onError: end('error'),
    onAbandoned: end('abandoned'),
  };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const json = () => new Response('{"id":"chatcmpl-1"}', { headers: { 'content-type': 'application/json' } });
/** A body that sends its first bytes and then nothing until the test closes it. */
function stalled(): { response: Response; close: () => void } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      c.enqueue(new TextEncoder().encode('{"id":'));
    },
  });
  const close = () => {
    controller.enqueue(new TextEncoder().encode('"x"}'));
    controller.close();
  };
  return { response: new Response(body), close };
}

describe('registration for abandonment', () => {
  test('a body read whole within the turn it arrived in registers nothing', async () => {
    const registry = new RecordingRegistry();
    const call = callUnderTest();
    const response = observeInPlace(json(), call, registry);
    expect(await response.json()).toEqual({ id: 'chatcmpl-1' });
    await nextTurn();
    await nextTurn();
    expect(call.endings).toEqual(['json']);
    expect(registry.targets).toEqual([]);
  });

  test('a body left unread past that turn registers the Response', async () => {
    const registry = new RecordingRegistry();
    const call = callUnderTest();
    const response = observeInPlace(json(), call, registry);
    await nextTurn();
    expect(registry.targets).toEqual([response]);
    // A later read takes over, at once: the pending read is registered.
    const read = response.json();
    expect(registry.targets).toHaveLength(2);
    expect(registry.targets[1]).toBeInstanceOf(Promise);
    await read;
  });

  test('a whole read still pending at the end of the turn registers the read, not the Response', async () => {
    const registry = new RecordingRegistry();
    const call = callUnderTest();
    const { response, close } = stalled();
    const observed = observeInPlace(response, call, registry);
    const read = observed.json();
    await nextTurn();
    expect(registry.targets).toHaveLength(1);
    expect(registry.targets[0]).toBeInstanceOf(Promise);
    expect(registry.targets[0]).not.toBe(observed);
    close();
    expect(await read).toEqual({ id: 'x' });
  });

  test('a body stream taken within the turn registers the stream', async () => {
    const registry = new RecordingRegistry();
    const call = callUnderTest();
    const { response, close } = stalled();
    const body = observeInPlace(response, call, registry).body!;
    await nextTurn();
    expect(registry.targets).toEqual([body]);
    close();
    const reader = body.getReader();
    while (!(await reader.read()).done);
    expect(call.endings).toEqual(['end']);
  });
});
