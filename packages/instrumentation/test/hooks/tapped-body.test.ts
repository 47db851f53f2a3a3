import { describe, expect, test } from 'vitest';
import type { ObservedCall } from '../../src/hooks/observed-call';
import { tapBody } from '../../src/hooks/tapped-body';

// tapBody's stream methods are shared by every tapped stream and find their call by `this`
// (issue 11): each stream reports to its own call, and a method taken to another stream does what
// the prototype's would there.

function recordingCall(): ObservedCall & { seen: string[] } {
  const seen: string[] = [];
  const note = (what: string) => () => {
    seen.push(what);
  };
  return {
    seen,
    ended: false,
    wantsWholeJson: false,
    contextIn: (parent) => parent,
    onResponse: () => undefined,
    onChunk: (chunk) => {
      seen.push(new TextDecoder().decode(chunk));
    },
    onWholeJson: note('json'),
    onWholeText: note('text'),
    onWholeJsonInvalid: note('invalid'),
    onEnd: note('end'),
    onCancel: note('cancel'),
    onError: note('error'),
    onAbandoned: note('abandoned'),
  };
}

const streamOf = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += new TextDecoder().decode(chunk);
  return text;
}

describe('tapped body streams', () => {
  test('two tapped streams, read by iterator and by reader, each report to their own call', async () => {
    const first = recordingCall();
    const second = recordingCall();
    const a = tapBody(streamOf('a1', 'a2'), first);
    const b = tapBody(streamOf('b1'), second);
    expect(await readAll(a)).toBe('a1a2');
    const reader = b.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('b1');
    expect((await reader.read()).done).toBe(true);
    expect(first.seen).toEqual(['a1', 'a2', 'end']);
    expect(second.seen).toEqual(['b1', 'end']);
  });

  test('a tapped stream method called on another stream acts on that stream, unobserved', async () => {
    const call = recordingCall();
    const tapped = tapBody(streamOf('t'), call);
    const other = streamOf('o1', 'o2');
    const reader = tapped.getReader.call(other) as ReadableStreamDefaultReader<Uint8Array>;
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('o1');
    reader.releaseLock();
    const [left] = tapped.tee.call(other);
    expect(await readAll(left)).toBe('o2');
    await tapped.cancel.call(streamOf('x'));
    expect(call.seen).toEqual([]);
    expect(await readAll(tapped)).toBe('t');
    expect(call.seen).toEqual(['t', 'end']);
  });

  test('cancel() and pipeThrough() of a tapped stream report to its call', async () => {
    const cancelled = recordingCall();
    await tapBody(streamOf('c'), cancelled).cancel();
    expect(cancelled.seen).toEqual(['cancel']);
    const piped = recordingCall();
    let text = '';
    for await (const part of tapBody(streamOf('p1', 'p2'), piped).pipeThrough(new TextDecoderStream())) text += part;
    expect(text).toBe('p1p2');
    expect(piped.seen).toEqual(['p1', 'p2', 'end']);
  });
});
