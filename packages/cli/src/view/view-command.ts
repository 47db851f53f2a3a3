import { logVerbosity, setLogVerbosity } from '@grpc/grpc-js';
import { formatTraceTree, printable, startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import type { Command, CommandIo } from '../command';
import { ModelTotals } from './model-totals';
import { portIsFree, suggestPort } from './ports';
import { logLine, metricsLine } from './signal-lines';
import { TraceAssembler, type AssembledTrace } from './trace-assembler';
import { traceMatches } from './trace-filter';
import { traceJsonLine } from './trace-json';
import { DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT, parseViewOptions, type ViewOptions } from './view-options';

const HELP = `Usage: llm-otel view [options]

Starts an OTLP receiver (gRPC on ${DEFAULT_GRPC_PORT}, HTTP on ${DEFAULT_HTTP_PORT}: traces, metrics and logs) and prints
each trace as a tree as it arrives: tokens in→out, time, time to first chunk, cost, context-window use
and errors per LLM call, Σ of the calls under agent / workflow / tool / MCP spans, then a running total
per model. No backend, no Docker: point an app's OTLP exporter at it (the @llm-otel/setup default).

Receiver:
  --host HOST            address to listen on (default 127.0.0.1; 0.0.0.0 for apps in containers)
  --grpc-port PORT       default ${DEFAULT_GRPC_PORT}; 0 picks a free port
  --http-port PORT       default ${DEFAULT_HTTP_PORT}; 0 picks a free port
  --max-request-bytes N  the largest export accepted, compressed or not (default 16777216)
Filters (each one given must hold):
  --service NAME         traces with a span of this service.name (repeatable)
  --model TEXT           traces with an LLM call whose model contains TEXT (repeatable)
  --errors               traces with a failed span
  --slower-than TIME     traces longer than TIME (2s, 500ms, 1m)
Output:
  --json                 one JSON object per trace per line on stdout (status lines go to stderr)
  --settle TIME          how long a trace stays open after its last span once its root arrived (500ms)
  --wait TIME            the same for a trace whose root span never arrives (6s)
  --color, --no-color    colours (default: when stdout is a terminal and NO_COLOR is unset)

Ctrl-C stops it. Exit status: 130 after Ctrl-C (143 after SIGTERM), 1 when a port cannot be used, 2 on a usage error.`;

/** Checked with --color off in tests; ANSI dim on a terminal. */
function dimmer(colours: boolean): (text: string) => string {
  return (text) => (colours && text ? `\u001b[2m${text}\u001b[22m` : text);
}

/** Why the receiver could not start, in one sentence with a way out; never a stack trace. */
async function explainStartFailure(error: unknown, options: ViewOptions): Promise<string> {
  const ports = [
    { flag: '--grpc-port', port: options.grpcPort, what: 'gRPC' },
    { flag: '--http-port', port: options.httpPort, what: 'HTTP' },
  ];
  const lines: string[] = [];
  for (const { flag, port, what } of ports) {
    if (port === 0 || (await portIsFree(options.host, port))) continue;
    const other = await suggestPort(
      options.host,
      port,
      ports.map((entry) => entry.port),
    );
    lines.push(
      `port ${port} (OTLP/${what}) on ${options.host} is in use, perhaps by an OpenTelemetry Collector, Jaeger or another llm-otel view.` +
        ` Try ${flag} ${other}, and point the app there (e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:${other}${what === 'HTTP' ? ' with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf' : ''}).`,
    );
  }
  if (lines.length > 0) return lines.join('\n');
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `cannot listen on ${options.host} (${code ?? message.slice(0, 200)}); check --host`;
}

export const viewCommand: Command = {
  name: 'view',
  summary: 'receive OTLP locally and print each trace as a tree (tokens, cost, latency) as it arrives',
  help: HELP,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const parsed = parseViewOptions(argv, io.env, io.stdoutIsTty ?? false);
    if (parsed === 'help') {
      io.stdout(`${HELP}\n`);
      return 0;
    }
    const options = parsed;
    const dim = dimmer(options.colours);
    const totals = new ModelTotals();
    let shown = 0;
    let hidden = 0;

    const print = (trace: AssembledTrace) => {
      if (!traceMatches(trace.spans, options)) {
        hidden += 1;
        return;
      }
      shown += 1;
      if (options.json) {
        io.stdout(`${traceJsonLine(trace)}\n`);
        return;
      }
      totals.add(trace.spans);
      let tree = formatTraceTree(trace.spans, { colours: options.colours });
      if (trace.continued) tree = tree.replace(/^(.*?trace [0-9a-f]+)/, '$1 (continued: late spans)');
      if (trace.droppedSpans > 0) tree += `\n${dim(`(${trace.droppedSpans} more spans of this trace not shown: over ${trace.spans.length} per trace)`)}`;
      io.stdout(`\n${tree}\n${totals.size > 0 ? `${totals.format(dim)}\n` : ''}`);
    };
    const assembler = new TraceAssembler(print, options.settleMs, options.waitMs);
    // Before anything listens: a Ctrl-C right after start must still end the viewer our way.
    let stopSignal: NodeJS.Signals | undefined;
    let onStop: ((signal: NodeJS.Signals) => void) | undefined;
    const stop = (signal: NodeJS.Signals) => {
      stopSignal ??= signal;
      onStop?.(signal);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const stopped = new Promise<NodeJS.Signals>((resolve) => {
      onStop = resolve;
      if (stopSignal) resolve(stopSignal);
    });
    // grpc-js logs a failed bind itself ("E No address added ..."); the viewer says it better below.
    setLogVerbosity(logVerbosity.NONE);

    let receiver: OtlpReceiver;
    try {
      receiver = await startOtlpReceiver({
        host: options.host,
        grpcPort: options.grpcPort,
        httpPort: options.httpPort,
        retain: false,
        maxRequestBytes: options.maxRequestBytes,
        onSpans: (spans) => assembler.add(spans),
        onMetrics: (metrics) => {
          if (!options.json && metrics.length > 0) io.stdout(`${dim(metricsLine(metrics))}\n`);
        },
        onLogs: (records) => {
          if (options.json) return;
          for (const record of records) io.stdout(`${dim(logLine(record))}\n`);
        },
      });
    } catch (error) {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      io.stderr(`llm-otel view: ${await explainStartFailure(error, options)}\n`);
      return 1;
    }

    const grpcPort = new URL(receiver.grpcUrl).port;
    const httpBase = receiver.httpUrl.replace(/\/v1\/traces$/, '');
    io.stderr(
      `llm-otel view: receiving OTLP on ${receiver.grpcUrl} (gRPC) and ${httpBase} (HTTP: /v1/traces, /v1/metrics, /v1/logs)\n` +
        (grpcPort === String(DEFAULT_GRPC_PORT)
          ? '  an app with @llm-otel/setup exports here by default (gRPC, localhost:4317).'
          : `  point the app here: OTEL_EXPORTER_OTLP_ENDPOINT=${receiver.grpcUrl}`) +
        ' Ctrl-C stops.\n',
    );

    const tick = () => {
      try {
        assembler.tick();
      } catch (error) {
        // A trace the tree cannot show must not stop the viewer: say so and go on with the next.
        io.stderr(`llm-otel view: a trace could not be printed (${printable(String(error instanceof Error ? error.message : error).slice(0, 200))})\n`);
      }
    };
    const timer = setInterval(tick, Math.max(50, Math.min(250, options.settleMs / 2)));
    const signal = await stopped;
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    clearInterval(timer);
    // What arrived is printed before the viewer goes; closing ends open connections instead of draining them.
    assembler.flushAll();
    await receiver.close();
    io.stderr(`llm-otel view: stopped; ${shown} ${shown === 1 ? 'trace' : 'traces'} shown${hidden > 0 ? `, ${hidden} filtered out` : ''}\n`);
    return signal === 'SIGINT' ? 130 : 143;
  },
};
