import {
  addCall,
  COST,
  emptyTotals,
  INPUT_TOKENS,
  llmCallSpans,
  mergeTotals,
  numberOf,
  OUTPUT_TOKENS,
  REQUEST_MODEL,
  RESPONSE_MODEL,
  STATUS_ERROR,
  totalsOf,
  USAGE_ESTIMATED,
  type CallTotals,
} from './trace-calls';
import type { ReceivedSpan, ReceivedValue } from './types';

const TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';
const CONTEXT_WINDOW_UTILIZATION = 'llm_otel.context_window.utilization';
const ERROR_TYPE = 'error.type';
const SERVICE_NAME = 'service.name';
// Written by the agents work (issue 12): the join between an LLM call asking for tools and the tool spans.
const TOOL_CALL_ID = 'gen_ai.tool.call.id';
const TOOL_CALL_COUNT = 'llm_otel.response.tool_call.count';

const MAX_NAME_WIDTH = 64;
/** Deeper spans are written at this indentation, with their depth. */
const MAX_INDENT_DEPTH = 24;
const MAX_MODEL_WIDTH = 48;

/** One column of a row: its plain text, how it aligns, and how it is coloured on a terminal. */
interface Cell {
  text: string;
  align: 'left' | 'right';
  colour?: Colour;
}
type Colour = 'dim' | 'cyan' | 'yellow' | 'red' | 'bold';

type Row = { kind: 'title'; text: string } | { kind: 'span' | 'columns'; prefix: string; cells: Cell[] };

const ANSI: Record<Colour, [string, string]> = {
  dim: ['\u001b[2m', '\u001b[22m'],
  bold: ['\u001b[1m', '\u001b[22m'],
  cyan: ['\u001b[36m', '\u001b[39m'],
  yellow: ['\u001b[33m', '\u001b[39m'],
  red: ['\u001b[31m', '\u001b[39m'],
};

const COLUMNS: readonly Cell[] = [
  { text: 'span', align: 'left' },
  { text: 'model', align: 'left' },
  { text: 'tokens in→out', align: 'right' },
  { text: 'time', align: 'right' },
  { text: 'ttfc', align: 'right' },
  { text: 'cost', align: 'right' },
  { text: 'ctx', align: 'right' },
  { text: '', align: 'left' },
];

export interface TraceTreeOptions {
  /** ANSI colours; default: when stdout is a TTY and NO_COLOR is unset. */
  colours?: boolean;
  /** The `total:` line; default true. */
  footer?: boolean;
}

/**
 * A terminal tree of traces under column headers: one line per span with its name, model, tokens
 * in→out (`~` when estimated), duration, time to first chunk, cost, context-window use and, for failed
 * spans, ERROR with `error.type`. An inner node (agent, workflow, tool, MCP call) shows the sums of the
 * LLM calls under it, marked Σ. The footer totals the LLM calls: each attempt span once, never an
 * SDK's wrapper span around it (`llmCallSpans`).
 */
export function formatTraceTree(spans: readonly ReceivedSpan[], options: TraceTreeOptions = {}): string {
  const colours = options.colours ?? (Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  const paint = (text: string, colour: Colour | undefined) => (colours && colour && text ? `${ANSI[colour][0]}${text}${ANSI[colour][1]}` : text);

  const unique = dedupe(spans);
  if (unique.length === 0) return 'no spans received';
  const calls = llmCallSpans(unique);
  const isCall = new Set(calls);

  const rows: Row[] = [];
  for (const trace of groupByTrace(unique)) {
    const service = trace.roots[0]?.resource[SERVICE_NAME];
    rows.push({ kind: 'title', text: `trace ${trace.traceId}` + (typeof service === 'string' ? `  (${printable(service.slice(0, 80))})` : '') });
    rows.push({ kind: 'columns', prefix: '', cells: [...COLUMNS] });
    addTraceRows(trace, isCall, rows);
  }

  const widths: number[] = [];
  for (const row of rows) {
    if (row.kind === 'title') continue;
    row.cells.forEach((cell, index) => {
      const length = index === 0 ? row.prefix.length + cell.text.length : cell.text.length;
      widths[index] = Math.max(widths[index] ?? 0, length);
    });
  }
  // Headers of columns no span fills would only add width.
  const used = widths.map((_, index) => rows.some((row) => row.kind === 'span' && (row.cells[index]?.text ?? '') !== ''));

  const lines = rows.map((row) => {
    if (row.kind === 'title') return paint(row.text, 'bold');
    const parts = row.cells.flatMap((cell, index) => {
      if (!used[index]) return [];
      const width = index === 0 ? widths[0] - row.prefix.length : widths[index];
      const padded = cell.align === 'right' ? cell.text.padStart(width) : cell.text.padEnd(width);
      return [paint(padded, row.kind === 'columns' ? 'dim' : cell.colour)];
    });
    return (paint(row.prefix, 'dim') + parts.join('  ')).trimEnd();
  });
  if (options.footer !== false) lines.push(footer(unique, totalsOf(calls), paint));
  return lines.join('\n');
}

/**
 * Text from the wire, made safe for a terminal: a span name or model carrying ESC sequences (a hostile
 * or broken client) would otherwise clear the screen or rewrite earlier lines.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => (char === '\n' ? '⏎' : '�'));
}

interface Placed {
  span: ReceivedSpan;
  row: Row & { kind: 'span' };
  orphan: boolean;
  depth: number;
  /** The sums of the LLM calls at and under this span. */
  below: CallTotals;
  parent?: Placed;
}

/**
 * One row per span of the trace, depth first, and Σ of the calls under each inner node. Iterative, not
 * recursive: a chain of 5,000 nested spans (hostile input to `llm-otel view`) overflowed the call
 * stack. The indentation stops growing at MAX_INDENT_DEPTH, where the depth is written instead,
 * so a deep chain costs lines, not lines times depth.
 */
function addTraceRows(trace: TraceGroup, isCall: Set<ReceivedSpan>, rows: Row[]): void {
  const placed: Placed[] = [];
  const stack: { span: ReceivedSpan; prefix: string; childPrefix: string; orphan: boolean; depth: number; parent?: Placed }[] = [];
  for (const root of [...trace.roots].reverse()) stack.push({ span: root, prefix: '', childPrefix: '', orphan: root.parentSpanId !== undefined, depth: 0 });
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const row: Row & { kind: 'span' } = { kind: 'span', prefix: next.prefix, cells: [] };
    rows.push(row);
    const entry: Placed = {
      span: next.span,
      row,
      orphan: next.orphan,
      depth: next.depth,
      below: emptyTotals(),
      ...(next.parent ? { parent: next.parent } : {}),
    };
    placed.push(entry);
    const children = trace.children.get(next.span.spanId) ?? [];
    const indent = next.depth < MAX_INDENT_DEPTH;
    for (let index = children.length - 1; index >= 0; index -= 1) {
      const last = index === children.length - 1;
      const childPrefix = indent ? `${next.childPrefix}${last ? '   ' : '│  '}` : next.childPrefix;
      stack.push({
        span: children[index],
        prefix: `${next.childPrefix}${last ? '└─ ' : '├─ '}`,
        childPrefix,
        orphan: false,
        depth: next.depth + 1,
        parent: entry,
      });
    }
  }
  // Children come after their parent in depth-first order: walking back sums each subtree before its root.
  for (let index = placed.length - 1; index >= 0; index -= 1) {
    const entry = placed[index];
    const call = isCall.has(entry.span);
    entry.row.cells = call ? callCells(entry.span, entry.orphan) : innerCells(entry.span, entry.orphan, entry.below);
    if (entry.depth > MAX_INDENT_DEPTH) entry.row.cells[0].text = `[depth ${entry.depth}] ${entry.row.cells[0].text}`;
    if (call) addCall(entry.below, entry.span);
    if (entry.parent) mergeTotals(entry.parent.below, entry.below);
  }
}

function nameText(span: ReceivedSpan, orphan: boolean): string {
  let name = printable(span.name);
  if (name.length > MAX_NAME_WIDTH) name = `${name.slice(0, MAX_NAME_WIDTH - 1)}…`;
  return orphan ? `${name} (parent not received)` : name;
}

function durationCell(span: ReceivedSpan): Cell {
  return { text: `${formatMs(nanosToMs(span.endTimeUnixNano - span.startTimeUnixNano))} ms`, align: 'right' };
}

function errorCells(span: ReceivedSpan): Cell[] {
  if (span.status.code !== STATUS_ERROR) return [];
  const errorType = span.attributes[ERROR_TYPE];
  const reason = typeof errorType === 'string' ? errorType : (span.status.message ?? '');
  return [{ text: `ERROR ${printable(reason.slice(0, 80))}`.trimEnd(), align: 'left', colour: 'red' }];
}

function callCells(span: ReceivedSpan, orphan: boolean): Cell[] {
  const attributes = span.attributes;
  const ttfc = numberOf(attributes[TIME_TO_FIRST_CHUNK]);
  const cost = numberOf(attributes[COST]);
  const utilisation = numberOf(attributes[CONTEXT_WINDOW_UTILIZATION]);
  return [
    { text: nameText(span, orphan), align: 'left' },
    {
      text: withToolCalls(modelText(attributes[REQUEST_MODEL], attributes[RESPONSE_MODEL]), numberOf(attributes[TOOL_CALL_COUNT])),
      align: 'left',
      colour: 'cyan',
    },
    { text: tokensText(span), align: 'right' },
    durationCell(span),
    { text: ttfc === undefined ? '' : `${formatMs(ttfc * 1000)} ms`, align: 'right', colour: 'dim' },
    { text: cost === undefined ? '' : `$${cost.toFixed(6)}`, align: 'right', colour: 'yellow' },
    { text: utilisationText(utilisation), align: 'right', colour: 'dim' },
    ...errorCells(span),
  ];
}

/** How many tools the call asked for, beside its model: the agent's story in one column. */
function withToolCalls(model: string, asked: number | undefined): string {
  return asked === undefined || asked <= 0 ? model : `${model} ⇢ ${asked} tool ${asked === 1 ? 'call' : 'calls'}`;
}

function utilisationText(utilisation: number | undefined): string {
  if (utilisation === undefined) return '';
  if (utilisation > 0 && utilisation < 0.001) return '<0.1%';
  return `${(utilisation * 100).toFixed(utilisation < 0.1 ? 1 : 0)}%`;
}

/** A span that is not an LLM call: its name and time, and Σ of the calls under it. */
function innerCells(span: ReceivedSpan, orphan: boolean, below: CallTotals): Cell[] {
  const sums = below.calls > 0;
  const callId = span.attributes[TOOL_CALL_ID];
  const detail = sums ? `Σ ${below.calls} ${below.calls === 1 ? 'call' : 'calls'}` : typeof callId === 'string' ? printable(callId.slice(0, 40)) : '';
  return [
    { text: nameText(span, orphan), align: 'left' },
    { text: detail, align: 'left', colour: 'dim' },
    { text: sums ? `Σ ${below.estimated > 0 ? '~' : ''}${below.inputTokens}→${below.outputTokens}` : '', align: 'right', colour: 'dim' },
    durationCell(span),
    { text: '', align: 'right' },
    { text: sums && below.cost > 0 ? `Σ $${below.cost.toFixed(6)}` : '', align: 'right', colour: 'dim' },
    { text: '', align: 'right' },
    ...errorCells(span),
  ];
}

function modelText(requested: ReceivedValue | undefined, responded: ReceivedValue | undefined): string {
  const request = typeof requested === 'string' ? requested : undefined;
  const response = typeof responded === 'string' ? responded : undefined;
  const text = printable(request && response && request !== response ? `${request} → ${response}` : (request ?? response ?? ''));
  return text.length > MAX_MODEL_WIDTH ? `${text.slice(0, MAX_MODEL_WIDTH - 1)}…` : text;
}

function tokensText(span: ReceivedSpan): string {
  const input = numberOf(span.attributes[INPUT_TOKENS]);
  const output = numberOf(span.attributes[OUTPUT_TOKENS]);
  if (input === undefined && output === undefined) return '';
  const estimated = span.attributes[USAGE_ESTIMATED] === true ? '~' : '';
  return `${estimated}${input ?? '?'}→${output ?? '?'}`;
}

function footer(spans: ReceivedSpan[], totals: CallTotals, paint: (text: string, colour: Colour | undefined) => string): string {
  const traces = new Set(spans.map((span) => span.traceId)).size;
  const errors = spans.filter((span) => span.status.code === STATUS_ERROR).length;
  const parts = [
    `${traces} ${traces === 1 ? 'trace' : 'traces'}`,
    `${spans.length} spans`,
    `${totals.calls} LLM ${totals.calls === 1 ? 'call' : 'calls'}`,
    `tokens ${totals.inputTokens} in → ${totals.outputTokens} out` + (totals.estimated > 0 ? ` (~ ${totals.estimated} estimated)` : ''),
    `cost $${totals.cost.toFixed(6)}`,
  ];
  if (errors > 0) parts.push(paint(`${errors} ${errors === 1 ? 'error' : 'errors'}`, 'red'));
  return `${paint('total', 'bold')}: ${parts.join(' · ')}`;
}

interface TraceGroup {
  traceId: string;
  roots: ReceivedSpan[];
  children: Map<string, ReceivedSpan[]>;
}

/** Retried exports deliver the same span twice; the tree shows each span once. */
function dedupe(spans: readonly ReceivedSpan[]): ReceivedSpan[] {
  const seen = new Set<string>();
  return spans.filter((span) => {
    const key = `${span.traceId}/${span.spanId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function groupByTrace(spans: ReceivedSpan[]): TraceGroup[] {
  const byStart = [...spans].sort((a, b) => compareBigInt(a.startTimeUnixNano, b.startTimeUnixNano));
  const groups = new Map<string, TraceGroup>();
  const ids = new Set(spans.map((span) => `${span.traceId}/${span.spanId}`));
  for (const span of byStart) {
    let group = groups.get(span.traceId);
    if (!group) {
      group = { traceId: span.traceId, roots: [], children: new Map() };
      groups.set(span.traceId, group);
    }
    const parent = span.parentSpanId;
    // A span that is its own parent (hostile input) is a root, so the walk below always ends.
    if (parent !== undefined && parent !== span.spanId && ids.has(`${span.traceId}/${parent}`)) {
      const siblings = group.children.get(parent) ?? [];
      siblings.push(span);
      group.children.set(parent, siblings);
    } else {
      group.roots.push(span);
    }
  }
  return [...groups.values()];
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function nanosToMs(nanos: bigint): number {
  return Number(nanos) / 1e6;
}

function formatMs(ms: number): string {
  return ms.toFixed(1);
}
