/**
 * The findings of one scan, kept in parallel arrays of numbers rather than one object each: text full
 * of personal data yields tens of thousands of findings per megabyte, and per-finding objects made
 * garbage collection the largest cost there.
 */
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
   * Indices of the findings to apply, in text order and without overlaps: of overlapping findings the
   * one with the higher priority wins, then the longer one. Empty findings (excluded) are skipped.
   */
  resolve(): number[] {
    const { starts, ends, priorities } = this;
    const order: number[] = [];
    for (let i = 0; i < starts.length; i++) if (ends[i]! > starts[i]!) order.push(i);
    order.sort((a, b) => starts[a]! - starts[b]! || priorities[b]! - priorities[a]! || ends[b]! - ends[a]!);
    const kept: number[] = [];
    for (const i of order) {
      const last = kept[kept.length - 1];
      if (last === undefined || starts[i]! >= ends[last]!) kept.push(i);
      else if (priorities[i]! > priorities[last]! || (priorities[i] === priorities[last] && ends[i]! - starts[i]! > ends[last]! - starts[last]!)) {
        kept[kept.length - 1] = i;
      }
    }
    return kept;
  }
}
