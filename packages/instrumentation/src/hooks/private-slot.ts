/**
 * A value kept on an object the caller owns (a Response, its body stream) in a private field: no
 * property reflection can see (`Reflect.ownKeys`, `Object.getOwnPropertySymbols`), and no WeakMap.
 *
 * Why not a WeakMap (issue 11): our value refers back to its key (an observation holds its Response),
 * and V8's minor collections kept such WeakMap entries alive (measured with `--trace-gc-nvp` and the
 * sampling heap profiler; the mechanism is our reading, not checked in V8's source): every observed
 * Response, its body stream, the call and its span survived two minor collections and were promoted,
 * then freed only by a full collection. In bench/peers (plain call) that was 7.4 KB promoted per call against 1.5 KB
 * without us, 3 full collections instead of 1, and twice the scavenge time; with the field, 1.6 KB.
 * A field is an ordinary reference from the object to the value, gone with the object.
 *
 * The field is added through a base class whose constructor returns the object it is given (the
 * one way JavaScript offers to put a private field on an object made elsewhere). Each slot has its
 * own field, so an ESM and a CommonJS copy of this package never read each other's values.
 */
export interface PrivateSlot<T> {
  /** Sets (or replaces) the target's value; throws only where the object refuses a new field. */
  set(target: object, value: T): void;
  /** The target's value, or undefined when it has none (anything else, `this` of a foreign call). */
  get(target: unknown): T | undefined;
}

class ReturnsGivenObject {
  constructor(target: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the return override is how a field is put on an existing object.
    return target;
  }
}

export function privateSlot<T>(): PrivateSlot<T> {
  class Slot extends ReturnsGivenObject {
    #value: T;

    private constructor(target: object, value: T) {
      super(target);
      this.#value = value;
    }

    static set(target: object, value: T): void {
      if (#value in target) (target as Slot).#value = value;
      else new Slot(target, value);
    }

    static get(target: unknown): T | undefined {
      return typeof target === 'object' && target !== null && #value in target ? (target as Slot).#value : undefined;
    }
  }
  return { set: Slot.set, get: Slot.get };
}
