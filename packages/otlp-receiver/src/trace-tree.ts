import type { ReceivedSpan, ReceivedValue } from './types';

// The attribute names the tree reads (the span contract of @llm-otel/instrumentation's semconv.ts).
const REQUEST_MODEL = 'gen_ai.request.model';
const RESPONSE_MODEL = 'gen_ai.response.model';
const INPUT_TOKENS = 'gen_ai.usage.input_tokens';
const OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
const TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';
const COST = 'gen_ai.usage.cost';
const USAGE_ESTIMATED = 'llm_otel.usage.estimated';
const ERROR_TYPE = 'error.type';
const SERVICE_NAME = 'service.name';
const TOOL_CALL_ID = 'gen_ai.tool.call.id';
const TOOL_CALL_COUNT = 'llm_otel.response.tool_call.count';

const STATUS_ERROR = 2;
const MAX_NAME_WIDTH = 64;

/** One column of a row: its plain text, how it aligns, and how it is coloured on a terminal. */
interface Cell {
  text: string;
  align: 'left' | 'right';
  colour?: Colour;
}
type Colour = 'dim' | 'cyan' | 'yellow' | 'red' | 'bold';

type Row = { kind: 'header'; text: string } | { kind: 'span'; prefix: string; cells: Cell[] };

const ANSI: Record<Colour, [string, string]> = {
  dim: ['\u001b[2m', '\u001b[22m'],
  bold: ['\u001b[1m', '\u001b[22m'],
  cyan: ['\u001b[36m', '\u001b[39m'],
  yellow: ['\u001b[33m', '\u001b[39m'],
  red: ['\u001b[31m', '\u001b[39m'],
};

/**
 * A terminal tree of traces: one line per span with its name, model, tokens in→out, duration, time to
 * first chunk and cost; ERROR with `error.type` for failed spans; then a footer with the totals of the
 * LLM calls (spans that carry a GenAI model). Colours only when stdout is a TTY and NO_COLOR is unset.
 */
export function formatTraceTree(spans: readonly ReceivedSpan[]): string {
  const colours = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const paint = (text: string, colour: Colour | undefined) =>
    colours && colour && text ? `${ANSI[colour][0]}${text}${ANSI[colour][1]}` : text;

  const unique = dedupe(spans);
  if (unique.length === 0) return 'no spans received';

  const rows: Row[] = [];
  for (const trace of groupByTrace(unique)) {
    const service = trace.roots[0]?.resource[SERVICE_NAME];
    rows.push({
      kind: 'header',
      text: `trace ${trace.traceId}` + (typeof service === 'string' ? `  (${service})` : ''),
    });
    const visit = (span: ReceivedSpan, prefix: string, childPrefix: string, orphan: boolean) => {
      rows.push({ kind: 'span', prefix, cells: spanCells(span, orphan) });
      const children = trace.children.get(span.spanId) ?? [];
      children.forEach((child, index) => {
        const last = index === children.length - 1;
        visit(child, `${childPrefix}${last ? '└─ ' : '├─ '}`, `${childPrefix}${last ? '   ' : '│  '}`, false);
      });
    };
    for (const root of trace.roots) visit(root, '', '', root.parentSpanId !== undefined);
  }

  const widths: number[] = [];
  for (const row of rows) {
    if (row.kind !== 'span') continue;
    row.cells.forEach((cell, index) => {
      const length = index === 0 ? row.prefix.length + cell.text.length : cell.text.length;
      widths[index] = Math.max(widths[index] ?? 0, length);
    });
  }

  const lines = rows.map((row) => {
    if (row.kind === 'header') return paint(row.text, 'bold');
    const parts = row.cells.map((cell, index) => {
      const width = index === 0 ? widths[0] - row.prefix.length : widths[index];
      const padded = cell.align === 'right' ? cell.text.padStart(width) : cell.text.padEnd(width);
      return paint(padded, cell.colour);
    });
    return (paint(row.prefix, 'dim') + parts.join('  ')).trimEnd();
  });
  lines.push(footer(unique, paint));
  return lines.join('\n');
}

function spanCells(span: ReceivedSpan, orphan: boolean): Cell[] {
  const attributes = span.attributes;
  let name = span.name;
  if (name.length > MAX_NAME_WIDTH) name = `${name.slice(0, MAX_NAME_WIDTH - 1)}…`;
  if (orphan) name += ' (parent not received)';

  const cells: Cell[] = [
    { text: name, align: 'left' },
    { text: agentDetail(attributes, modelText(attributes[REQUEST_MODEL], attributes[RESPONSE_MODEL])), align: 'left', colour: 'cyan' },
    { text: tokensText(span), align: 'right' },
    { text: `${formatMs(nanosToMs(span.endTimeUnixNano - span.startTimeUnixNano))} ms`, align: 'right' },
  ];
  const ttfc = numberOf(attributes[TIME_TO_FIRST_CHUNK]);
  cells.push({ text: ttfc === undefined ? '' : `ttfc ${formatMs(ttfc * 1000)} ms`, align: 'right', colour: 'dim' });
  const cost = numberOf(attributes[COST]);
  cells.push({ text: cost === undefined ? '' : `$${cost.toFixed(6)}`, align: 'right', colour: 'yellow' });
  if (span.status.code === STATUS_ERROR) {
    const errorType = attributes[ERROR_TYPE];
    const reason = typeof errorType === 'string' ? errorType : (span.status.message ?? '');
    cells.push({ text: `ERROR ${reason}`.trimEnd(), align: 'left', colour: 'red' });
  }
  return cells;
}

/** The agent's story in the model column: how many tools an LLM call asked for, and a tool span's call id (the join). */
function agentDetail(attributes: ReceivedSpan['attributes'], model: string): string {
  const asked = numberOf(attributes[TOOL_CALL_COUNT]);
  const callId = attributes[TOOL_CALL_ID];
  if (asked !== undefined) return `${model} ⇢ ${asked} tool ${asked === 1 ? 'call' : 'calls'}`;
  return model || (typeof callId === 'string' ? callId : '');
}

function modelText(requested: ReceivedValue | undefined, responded: ReceivedValue | undefined): string {
  const request = typeof requested === 'string' ? requested : undefined;
  const response = typeof responded === 'string' ? responded : undefined;
  if (request && response && request !== response) return `${request} → ${response}`;
  return request ?? response ?? '';
}

function tokensText(span: ReceivedSpan): string {
  const input = numberOf(span.attributes[INPUT_TOKENS]);
  const output = numberOf(span.attributes[OUTPUT_TOKENS]);
  if (input === undefined && output === undefined) return '';
  const estimated = span.attributes[USAGE_ESTIMATED] === true ? '~' : '';
  return `${estimated}${input ?? '?'}→${output ?? '?'} tok`;
}

function footer(spans: ReceivedSpan[], paint: (text: string, colour: Colour | undefined) => string): string {
  const traces = new Set(spans.map((span) => span.traceId)).size;
  const calls = spans.filter(
    (span) => typeof span.attributes[REQUEST_MODEL] === 'string' || typeof span.attributes[RESPONSE_MODEL] === 'string',
  );
  let input = 0;
  let output = 0;
  let cost = 0;
  let estimated = 0;
  for (const call of calls) {
    input += numberOf(call.attributes[INPUT_TOKENS]) ?? 0;
    output += numberOf(call.attributes[OUTPUT_TOKENS]) ?? 0;
    cost += numberOf(call.attributes[COST]) ?? 0;
    if (call.attributes[USAGE_ESTIMATED] === true) estimated += 1;
  }
  const errors = spans.filter((span) => span.status.code === STATUS_ERROR).length;
  const parts = [
    `${traces} ${traces === 1 ? 'trace' : 'traces'}`,
    `${spans.length} spans`,
    `${calls.length} LLM ${calls.length === 1 ? 'call' : 'calls'}`,
    `tokens ${input} in → ${output} out` + (estimated > 0 ? ` (~ ${estimated} estimated)` : ''),
    `cost $${cost.toFixed(6)}`,
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
    if (parent !== undefined && ids.has(`${span.traceId}/${parent}`)) {
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

function numberOf(value: ReceivedValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
