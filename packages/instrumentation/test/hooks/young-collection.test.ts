import { GCProfiler, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import type { ObservedCall } from '../../src/hooks/observed-call';
import { observeInPlace } from '../../src/hooks/observed-response';
import { privateSlot } from '../../src/hooks/private-slot';

// An observed Response the caller has read and dropped is garbage at once: the young-generation
// collector frees it, with its body stream and everything we hung on it (issue 11: kept in WeakMaps
// whose values refer back to their keys, every observed Response, stream and call survived the
// minor collections and was promoted to the old generation, 7.4 KB per call in bench/peers, freed
// only by full collections).

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options?: { type: 'minor' | 'major'; execution?: 'sync' }) => void;

type HeapSpaces = { heapSpaceStatistics: { spaceName: string; spaceUsedSize: number }[] };
const oldSpace = (heap: HeapSpaces) => heap.heapSpaceStatistics.find((space) => space.spaceName === 'old_space')?.spaceUsedSize ?? 0;

/**
 * Bytes the minor collections during `work` moved to the old generation: what old space grew by in
 * each of them (a full collection, which frees promoted garbage whenever V8 decides, is not counted).
 */
async function promotedDuring(work: () => Promise<void>): Promise<number> {
  const profiler = new GCProfiler();
  profiler.start();
  await work();
  const { statistics } = profiler.stop() as unknown as { statistics: { gcType: string; beforeGC: HeapSpaces; afterGC: HeapSpaces }[] };
  return statistics.filter((gc) => gc.gcType === 'Scavenge').reduce((sum, gc) => sum + oldSpace(gc.afterGC) - oldSpace(gc.beforeGC), 0);
}

const CALLS = 2_000;
const registry = new FinalizationRegistry<ObservedCall>(() => undefined);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const bodyBytes = new TextEncoder().encode(JSON.stringify({ id: 'chatcmpl-1', choices: [{ message: { content: 'x'.repeat(200) } }] }));

function endedCall(): ObservedCall {
  let ended = false;
  const end = () => {
    ended = true;
  };
  return {
    get ended() {
      return ended;
    },
    wantsWholeJson: true,
    contextIn: (parent) => parent,
    onResponse: () => undefined,
    onChunk: () => undefined,
    onWholeJson: end,
    onWholeText: end,
    onWholeJsonInvalid: end,
    onEnd: end,
    onCancel: end,
    onError: end,
    onAbandoned: end,
  };
}

/**
 * Bytes promoted per call over CALLS calls (one per turn, as an app makes them), each read to its
 * end and dropped, and two minor collections after them; `observed`: through observeInPlace.
 */
async function promotedPerCall(observed: boolean, read: (response: Response) => Promise<unknown>, calls = CALLS): Promise<number> {
  gc({ type: 'major', execution: 'sync' });
  const promoted = await promotedDuring(async () => {
    for (let i = 0; i < calls; i++) {
      const response = new Response(bodyBytes, { headers: { 'content-type': 'application/json' } });
      await read(observed ? observeInPlace(response, endedCall(), registry) : response);
      await nextTurn();
    }
    gc({ type: 'minor', execution: 'sync' });
    gc({ type: 'minor', execution: 'sync' });
  });
  return promoted / calls;
}

/** What observing adds to the bytes promoted per call (after a warm-up of both). */
async function addedPromotion(read: (response: Response) => Promise<unknown>): Promise<number> {
  await promotedPerCall(false, read, 200);
  await promotedPerCall(true, read, 200);
  const without = await promotedPerCall(false, read);
  return (await promotedPerCall(true, read)) - without;
}

async function readStream(response: Response): Promise<void> {
  const reader = response.body!.getReader();
  while (!(await reader.read()).done);
}

describe('what the hooks hang on a Response dies young', () => {
  // Kept in WeakMaps whose values refer to their keys, an observed Response, its stream and our
  // observation were promoted: ~3.5-4 KB per call more than without us (this test failed so).
  // Measured with private slots: ~0.1 KB (json) and ~0.3 KB (tapped stream).
  const BOUND = 1_000;

  test('a body read whole with json()', async () => {
    expect(await addedPromotion((response) => response.json())).toBeLessThan(BOUND);
  });

  // Node 24 promotes part of a tapped stream even so: +1.73 KB per call, steady across runs (with the
  // WeakMaps: +2.7-3.7 KB there; Node 20: +0.3 KB now). Why is not known yet (the lead's note of issue
  // 11); the bound there still fails the WeakMaps.
  const STREAM_BOUND = Number(process.versions.node.split('.')[0]) >= 22 ? 2_200 : BOUND;

  test('a body read through its (tapped) stream', async () => {
    expect(await addedPromotion(readStream)).toBeLessThan(STREAM_BOUND);
  });
});

describe('a private slot', () => {
  test('is invisible to reflection and replaced, not added twice', () => {
    const slot = privateSlot<number>();
    const target = {};
    slot.set(target, 1);
    slot.set(target, 2);
    expect(slot.get(target)).toBe(2);
    expect(Reflect.ownKeys(target)).toEqual([]);
    expect(slot.get({})).toBeUndefined();
    expect(slot.get(undefined)).toBeUndefined();
    expect(slot.get(null)).toBeUndefined();
    expect(privateSlot<number>().get(target)).toBeUndefined();
  });
});
