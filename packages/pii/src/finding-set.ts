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

  get size(): number {
    return this.starts.length;
  }

  add(type: string, start: number, end: number, priority: number): void {
    this.types.push(type);
    this.starts.push(start);
    this.ends.push(end);
    this.priorities.push(priority);
  }

  /**
   * Indices of the findings to apply, in text order and without overlaps: of overlapping findings the
   * one with the higher priority wins, then the longer one.
   */
  resolve(): number[] {
    const { starts, ends, priorities } = this;
    const order = Array.from({ length: starts.length }, (_, i) => i);
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
