import { ChainVerifier, type VerifierOptions, type VerifyReport } from '@llm-otel/audit/verify';
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../command';
import { formatReport } from './format-report';
import { inputSize, readInput } from './input';
import { loadKeyring, UsageError } from './keys';
import { Progress } from './progress';
import { readDocument } from './readers/read-document';

const HELP = `Usage: llm-otel verify [options] <file>... (or - for stdin)

Checks the integrity chain of exported spans: every record's HMAC, the sequence (removed, lost,
reordered, replayed), checkpoints and the chain's end. Reads, one document per line or one document
per file:
  OTLP JSON          the Collector's file exporter (one request per line), OTLP/HTTP JSON bodies
  Jaeger 1.x         GET /api/traces/<id> (use ?raw=true), /api/traces?service=...
  Jaeger 2.x         GET /api/v3/traces/<id>
  Grafana Tempo      GET /api/traces/<id>, /api/v2/traces/<id>

Keys:
  --key-file ID=PATH     a key file for key id ID (repeat for rotated keys)
  --key-file PATH        with --key-id ID (default "default")
  LLM_OTEL_AUDIT_KEY / LLM_OTEL_AUDIT_KEY_FILE with LLM_OTEL_AUDIT_KEY_ID
Selection:
  --trace-id HEX         only this trace: records are checked, completeness is not
  --since TIME --until TIME
                         only spans that ended in this range (ISO 8601 or epoch ms); gaps
                         inside it are reported, the chain's end is not judged
  --require-genesis      fail when the chain's first link is not in the input
Output:
  --json                 the report as JSON (for CI)
  --progress             a progress line on stderr (default: only when stderr is a terminal)
  --max-line-bytes N     the largest line / single document read (default 268435456)

Exit status: 0 when everything verifies, 1 when something does not, 2 on a usage error.`;

function timeMicros(value: string | undefined, flag: string): bigint | undefined {
  if (value === undefined) return undefined;
  const millis = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(millis)) throw new UsageError(`${flag}: not a time: ${JSON.stringify(value.slice(0, 40))}`);
  return BigInt(Math.trunc(millis)) * 1000n;
}

async function verifyFiles(
  files: string[],
  options: VerifierOptions,
  maxLineBytes: number,
  progress: Progress,
): Promise<{ report: VerifyReport; spans: number }> {
  const verifier = new ChainVerifier(options);
  let spans = 0;
  for (const file of files) {
    progress.startInput(file, inputSize(file));
    try {
      for await (const document of readInput(file, { maxLineBytes, onBytes: (bytes) => progress.addBytes(bytes) })) {
        if (document.problem) {
          verifier.addMalformed(`${document.where}: ${document.problem}`);
          continue;
        }
        const read = readDocument(document.json);
        for (const problem of read.problems) verifier.addMalformed(`${document.where}: ${problem}`);
        for (const record of read.records) {
          spans += 1;
          try {
            verifier.add(record);
          } catch {
            verifier.addMalformed(`${document.where}: span ${record.spanId} could not be checked`);
          }
        }
        progress.setSpans(spans);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      verifier.addMalformed(`${file}: cannot be read${code ? ` (${code})` : ''}`);
    }
  }
  progress.done();
  return { report: verifier.finish(), spans };
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check the integrity chain of exported spans (OTLP JSON, Jaeger, Tempo)',
  help: HELP,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'key-file': { type: 'string', multiple: true },
        'key-id': { type: 'string' },
        'trace-id': { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        'require-genesis': { type: 'boolean' },
        json: { type: 'boolean' },
        progress: { type: 'boolean' },
        'max-line-bytes': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(`${HELP}\n`);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('no input: give one or more files, or - for stdin');
    const keys = loadKeyring(values['key-file'] ?? [], values['key-id'], io.env);
    const traceId = values['trace-id']?.toLowerCase();
    if (traceId !== undefined && !/^[0-9a-f]{32}$/.test(traceId)) throw new UsageError('--trace-id: 32 hex digits');
    const maxLineBytes = values['max-line-bytes'] === undefined ? 256 * 1024 * 1024 : Number(values['max-line-bytes']);
    if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1024) throw new UsageError('--max-line-bytes: a whole number ≥ 1024');
    const options: VerifierOptions = { keys };
    if (traceId) options.traceId = traceId;
    const since = timeMicros(values.since, '--since');
    const until = timeMicros(values.until, '--until');
    if (since !== undefined) options.sinceMicros = since;
    if (until !== undefined) options.untilMicros = until;
    if (values['require-genesis']) options.requireGenesis = true;
    const progress = new Progress(io.stderr, values.progress === true || io.stderrIsTty);
    const { report, spans } = await verifyFiles(positionals, options, maxLineBytes, progress);
    io.stdout(values.json ? `${JSON.stringify({ spansRead: spans, ...report }, null, 2)}\n` : formatReport(report, spans));
    return report.ok ? 0 : 1;
  },
};
