/** A corpus item: its text and the spans that must be masked, as `[type, exact text]` in order. */
export interface LabelledItem {
  id: string;
  text: string;
  pii: Array<[string, string]>;
}

/** Labels as `type start end`, locating each labelled text after the previous occurrence of the same text. */
export function labelledSpans(item: LabelledItem): string[] {
  const from = new Map<string, number>();
  return item.pii.map(([type, value]) => {
    const start = item.text.indexOf(value, from.get(value) ?? 0);
    if (start === -1) throw new Error(`${item.id}: label "${value}" not in text`);
    from.set(value, start + value.length);
    return `${type} ${start} ${start + value.length}`;
  });
}
