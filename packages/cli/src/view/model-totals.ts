import { llmCallSpans, mergeTotals, modelOf, printable, totalsOf, type CallTotals, type ReceivedSpan } from '@llm-otel/otlp-receiver';

/** Most models a session shows; the rest are summed under one row so the table stays readable. */
const MAX_MODELS = 50;
const OTHER = '(other models)';

/** The running totals per model over the traces shown so far. */
export class ModelTotals {
  private byModel = new Map<string, CallTotals>();

  add(spans: readonly ReceivedSpan[]): void {
    for (const call of llmCallSpans(spans)) {
      let model = printable((modelOf(call) ?? '(unknown)').slice(0, 60));
      if (!this.byModel.has(model) && this.byModel.size >= MAX_MODELS) model = OTHER;
      const totals = totalsOf([call]);
      const sum = this.byModel.get(model);
      if (sum) mergeTotals(sum, totals);
      else this.byModel.set(model, totals);
    }
  }

  get size(): number {
    return this.byModel.size;
  }

  /** A small table with column headers: model, calls, tokens in→out, cost, errors. */
  format(dim: (text: string) => string): string {
    const rows = [...this.byModel]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([model, totals]) => [
        model,
        String(totals.calls),
        `${totals.estimated > 0 ? '~' : ''}${totals.inputTokens}→${totals.outputTokens}`,
        `$${totals.cost.toFixed(6)}`,
        totals.errors > 0 ? String(totals.errors) : '',
      ]);
    const header = ['running total', 'calls', 'tokens in→out', 'cost', 'errors'];
    const all = [header, ...rows];
    const widths = header.map((_, index) => Math.max(...all.map((row) => row[index].length)));
    const line = (row: string[]) =>
      row
        .map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index])))
        .join('  ')
        .trimEnd();
    return [dim(line(header)), ...rows.map(line)].join('\n');
  }
}
