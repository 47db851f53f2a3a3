import type { ScopeValues, UsageReport, UsageRow } from '@llm-otel/budgets/report';
import { SCOPE_KEYS } from '@llm-otel/budgets/report';

/** Integer micro-dollars as exact USD with six decimals (`0.000750`): no float on the way. */
export function usd(micros: number): string {
  const whole = Math.floor(micros / 1_000_000);
  return `${whole}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** Values come from the apps' context (agent names, models): control characters are shown, not obeyed by the terminal. */
function printable(text: string, max = 60): string {
  const shown = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}

function scopeText(scope: ScopeValues): string {
  const parts = SCOPE_KEYS.filter((name) => scope[name] !== undefined).map((name) => `${name}=${scope[name]}`);
  return parts.length === 0 ? '(all calls)' : parts.join(',');
}

const HEADERS = ['BUDGET', 'PERIOD', 'SCOPE', 'EXACT USD', 'ESTIMATED USD', 'TOTAL USD', 'CALLS', 'UNPRICED'];
const RIGHT_ALIGNED = new Set([3, 4, 5, 6, 7]);

function cells(row: UsageRow): string[] {
  return [
    printable(row.budget),
    printable(row.period),
    printable(scopeText(row.scope), 80),
    usd(row.exactMicros),
    usd(row.estimatedMicros),
    usd(row.totalMicros),
    String(row.calls),
    String(row.unpricedCalls),
  ];
}

export function formatUsageTable(report: UsageReport): string {
  if (report.rows.length === 0) return `No spend recorded${report.unreadableKeys ? ` (${report.unreadableKeys} unreadable keys skipped)` : ''}.\n`;
  const table = [HEADERS, ...report.rows.map(cells)];
  const widths = HEADERS.map((_, column) => Math.max(...table.map((line) => line[column].length)));
  const lines = table.map((line) =>
    line
      .map((cell, column) => (RIGHT_ALIGNED.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd(),
  );
  const notes = [`${report.rows.length} row${report.rows.length === 1 ? '' : 's'}.`];
  if (report.rows.some((row) => row.estimatedMicros > 0)) notes.push('ESTIMATED: priced from tokens counted locally because the provider reported none.');
  if (report.rows.some((row) => row.unpricedCalls > 0)) notes.push('UNPRICED: calls to models without a price (not in the totals).');
  if (report.unreadableKeys > 0) notes.push(`${report.unreadableKeys} unreadable keys skipped (another version's format?).`);
  return `${lines.join('\n')}\n\n${notes.join('\n')}\n`;
}

/** `--json`: integers stay micro-dollars (exact), USD strings beside them for people. */
export function formatUsageJson(report: UsageReport): string {
  const rows = report.rows.map((row) => ({
    budget: row.budget,
    period: row.period,
    scope: row.scope,
    exactMicros: row.exactMicros,
    estimatedMicros: row.estimatedMicros,
    totalMicros: row.totalMicros,
    exactUsd: usd(row.exactMicros),
    estimatedUsd: usd(row.estimatedMicros),
    totalUsd: usd(row.totalMicros),
    calls: row.calls,
    unpricedCalls: row.unpricedCalls,
  }));
  return `${JSON.stringify({ rows, unreadableKeys: report.unreadableKeys }, null, 2)}\n`;
}
