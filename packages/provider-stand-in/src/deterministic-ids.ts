import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Provider-looking identifiers derived from a seed (the request body), so the same request gets the
 * same ids on every run and tests can compare whole responses. One hash of the seed, then a small
 * PRNG per purpose: thousands of concurrent streams each need dozens of these.
 */
export class DeterministicIds {
  private readonly seedHash: number;

  constructor(seed: string) {
    this.seedHash = createHash('sha256').update(seed).digest().readUInt32BE(0);
  }

  /** `prefix` followed by `length` base62 characters, distinct per `purpose`. */
  base62(prefix: string, length: number, purpose: string): string {
    const next = this.random(purpose);
    let id = prefix;
    for (let index = 0; index < length; index += 1) id += BASE62[next() % 62];
    return id;
  }

  hex(prefix: string, length: number, purpose: string): string {
    const next = this.random(purpose);
    let id = prefix;
    for (let index = 0; index < length; index += 1) id += (next() % 16).toString(16);
    return id;
  }

  /** An integer in [0, range). */
  integer(range: number, purpose: string): number {
    return this.random(purpose)() % range;
  }

  /** mulberry32 seeded with the seed's hash mixed with an FNV-1a hash of the purpose. */
  private random(purpose: string): () => number {
    let hash = 0x811c9dc5;
    for (let index = 0; index < purpose.length; index += 1) {
      hash = Math.imul(hash ^ purpose.charCodeAt(index), 0x01000193);
    }
    let state = (this.seedHash ^ hash) >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let value = Math.imul(state ^ (state >>> 15), 1 | state);
      value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
      return (value ^ (value >>> 14)) >>> 0;
    };
  }
}
