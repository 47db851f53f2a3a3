/**
 * The findings of one scan, kept in parallel arrays of numbers rather than one object each: text full
 * of personal data yields tens of thousands of findings per megabyte, and per-finding objects made
 * garbage collection the largest cost there.
 */
/** Types whose findings span other data and keep their parts outside a winner that overlaps them. */
const CONTAINER_TYPES: ReadonlySet<string> = new Set(['STREET_ADDRESS']);

export class FindingSet {
  readonly types: string[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  private readonly priorities: number[] = [];
  /**
   * The decoded text of each finding, when the scan ran on normalised text (`remap`): operators see
   * `jane@example.com`, not `jane\u0040example.com`, so a pseudonym is the same either way.
   */
  values: Array<string | undefined> | undefined;

  get size(): number {
    return this.starts.length;
  }

  add(type: string, start: number, end: number, priority: number): void {
    this.types.push(type);
    this.starts.push(start);
    this.ends.push(end);
    this.priorities.push(priority);
  }

  /** Moves the findings from index `from` on, made on normalised text, to the original characters they came from. */
  remap(from: number, offsets: Int32Array, normalised: string): void {
    const { starts, ends } = this;
    const values = (this.values ??= []);
    for (let i = from; i < starts.length; i++) {
      values[i] = normalised.slice(starts[i], ends[i]);
      starts[i] = offsets[starts[i]!]!;
      ends[i] = offsets[ends[i]!]!;
    }
  }

  /**
   * Leaves [from, to) unmasked: a finding inside it is dropped, one overlapping it keeps only its part
   * outside (the part before when there is one). Used for the host of a URL attribute.
   */
  exclude(from: number, to: number): void {
    const { starts, ends } = this;
    for (let i = 0; i < starts.length; i++) {
      if (ends[i]! <= from || starts[i]! >= to) continue;
      if (starts[i]! < from) ends[i] = from;
      else if (ends[i]! > to) starts[i] = to;
      else ends[i] = starts[i]!;
      // A clipped value is no longer the decoded text of the finding.
      if (this.values) this.values[i] = '';
    }
  }

  /** The text a finding stands for: its decoded value after `remap`, else the original slice. */
  value(i: number, text: string): string {
    const decoded = this.values?.[i];
    return decoded ? decoded : text.slice(this.starts[i], this.ends[i]);
  }

  /**
   * Indices of the findings to apply, in text order and without overlaps. Of overlapping findings the
   * one with the higher priority wins (then the longer one). Most overlaps are two readings of the same
   * characters (`pw@cluster0.example.net` as a URL password and as an e-mail address), where the
   * loser is dropped. A street address is a stretch of text that holds other data, so the parts of it
   * outside the winner stay masked as addresses: in `I live at 48 Larkspur Avenue, Dayton, OH 45402,
   * DOB 07/14/1979` the date of birth takes its span and the street is still masked (issue 10: before,
   * the street leaked). Parts are new entries of this set; empty findings (excluded) are skipped.
   */
  resolve(): number[] {
    const { starts, ends, priorities } = this;
    const before = (a: number, b: number): boolean =>
      starts[a]! !== starts[b]! ? starts[a]! < starts[b]! : priorities[a]! !== priorities[b]! ? priorities[a]! > priorities[b]! : ends[a]! > ends[b]!;
    const order: number[] = [];
    for (let i = 0; i < starts.length; i++) if (ends[i]! > starts[i]!) order.push(i);
    order.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    // Parts split off findings, in a binary heap ordered like `order`: each finding splits at most one
    // tail off per overlap, so the work stays O(n log n).
    const heap: number[] = [];
    const push = (i: number): void => {
      heap.push(i);
      for (let c = heap.length - 1; c > 0; ) {
        const p = (c - 1) >> 1;
        if (!before(heap[c]!, heap[p]!)) break;
        [heap[c], heap[p]] = [heap[p]!, heap[c]!];
        c = p;
      }
    };
    const pop = (): number => {
      const top = heap[0]!;
      const lastItem = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = lastItem;
        for (let p = 0; ; ) {
          const l = 2 * p + 1;
          const r = l + 1;
          let m = p;
          if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
          if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
          if (m === p) break;
          [heap[m], heap[p]] = [heap[p]!, heap[m]!];
          p = m;
        }
      }
      return top;
    };
    const part = (i: number, from: number, to: number): void => {
      if (!CONTAINER_TYPES.has(this.types[i]!)) return;
      this.add(this.types[i]!, from, to, priorities[i]!);
      if (this.values) this.values[this.starts.length - 1] = undefined;
      push(this.starts.length - 1);
    };
    const kept: number[] = [];
    let k = 0;
    while (k < order.length || heap.length > 0) {
      const i = heap.length > 0 && (k >= order.length || before(heap[0]!, order[k]!)) ? pop() : order[k++]!;
      if (ends[i]! <= starts[i]!) continue;
      const last = kept[kept.length - 1];
      if (last === undefined || starts[i]! >= ends[last]!) {
        kept.push(i);
        continue;
      }
      const wins = priorities[i]! > priorities[last]! || (priorities[i] === priorities[last] && ends[i]! - starts[i]! > ends[last]! - starts[last]!);
      if (!wins) {
        // The loser's tail beyond the kept finding is still masked.
        if (ends[i]! > ends[last]!) part(i, ends[last]!, ends[i]!);
        continue;
      }
      const lastEnd = ends[last]!;
      if (starts[last]! < starts[i]! && CONTAINER_TYPES.has(this.types[last]!)) {
        ends[last] = starts[i]!;
        if (this.values) this.values[last] = undefined; // now a part: its decoded value no longer applies
      } else {
        kept.pop();
      }
      kept.push(i);
      if (lastEnd > ends[i]!) part(last, ends[i]!, lastEnd);
    }
    return kept;
  }
}
