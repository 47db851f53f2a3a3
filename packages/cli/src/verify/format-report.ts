import type { ChainReport, SeqRange, VerifyReport } from '@llm-otel/audit/verify';

const count = (value: number) => value.toLocaleString('en-US');

function ranges(list: SeqRange[]): string {
  const shown = list.slice(0, 20).map(([first, last]) => (first === last ? String(first) : `${first}-${last}`));
  const total = list.reduce((sum, [first, last]) => sum + last - first + 1, 0);
  return `${shown.join(', ')}${list.length > shown.length ? ', …' : ''} (${count(total)})`;
}

function termination(chain: ChainReport): string {
  switch (chain.termination) {
    case 'final-checkpoint':
      return 'ended cleanly (final checkpoint)';
    case 'crashed':
      return `the process crashed after seq ${chain.recoveredBy?.lastSeq}; recorded by chain ${chain.recoveredBy?.chainId}, which recovered its spool`;
    case 'not-checked':
      return 'end not checked (a trace or a time range was asked for)';
    default:
      return (
        `UNTERMINATED: no final checkpoint; ${count(chain.afterLastCheckpoint)} records after the last checkpoint ` +
        '(the newest records deleted, a crash nobody recovered, or the process still runs)'
      );
  }
}

function anchor(chain: ChainReport): string {
  switch (chain.anchor) {
    case 'genesis':
      return 'from the first link';
    case 'checkpoint':
      return `from seq ${chain.anchorSeq} (older records not in the input, e.g. retention; a checkpoint anchors the rest)`;
    case 'selection':
      return 'within the time range asked for';
    default:
      return 'NO ANCHOR: neither the first link nor a checkpoint is in the input';
  }
}

export function formatChain(chain: ChainReport): string[] {
  const lines = [`chain ${chain.chainId} (key ${chain.keyIds.join(', ') || '?'}): ${chain.ok ? 'OK' : 'FAILED'}`];
  lines.push(`  verified ${count(chain.verified)} spans, seq ${chain.firstSeq}-${chain.lastSeq}, ${anchor(chain)}`);
  if (chain.alteredCount > 0) {
    lines.push(`  ALTERED: ${count(chain.alteredCount)}`);
    for (const record of chain.altered.slice(0, 20)) {
      lines.push(`    seq ${record.seq ?? '?'} trace ${record.traceId} span ${record.spanId} ${JSON.stringify(record.name)}: ${record.reason}`);
    }
  }
  if (chain.removed.length > 0) lines.push(`  REMOVED (signed, exported, not in the input): ${ranges(chain.removed)}`);
  if (chain.lost.length > 0) lines.push(`  LOST (declared by the chain: dropped before export, or the export failed): ${ranges(chain.lost)}`);
  if (chain.unaccounted.length > 0) lines.push(`  UNACCOUNTED (numbered, skipped by a later link, not declared lost): ${ranges(chain.unaccounted)}`);
  if (chain.missing.length > 0) lines.push(`  MISSING (removed, or lost with no checkpoint since): ${ranges(chain.missing)}`);
  if (chain.conflictCount > 0) {
    lines.push(`  CONFLICTS (replayed records, or a chain id reused by two processes): ${count(chain.conflictCount)}`);
    for (const conflict of chain.conflicts.slice(0, 10)) lines.push(`    seq ${conflict.seq}: ${conflict.reason}`);
  }
  for (const unknown of chain.unknownKeyIds) lines.push(`  UNKNOWN KEY ID ${JSON.stringify(unknown.keyId)}: ${count(unknown.records)} records not checked`);
  if (chain.unsupportedVersions > 0) lines.push(`  UNSUPPORTED chain version: ${count(chain.unsupportedVersions)} records`);
  if (chain.duplicates > 0) lines.push(`  duplicates: ${count(chain.duplicates)} (exact copies, at-least-once delivery; not a failure)`);
  if (chain.reordered > 0) lines.push(`  reordered in the input: ${count(chain.reordered)} (the chain's order is in the records; not a failure)`);
  lines.push(`  ${termination(chain)}`);
  return lines;
}

export function formatReport(report: VerifyReport, spansRead: number): string {
  const lines = [`llm-otel verify: ${count(spansRead)} spans read, ${count(report.unchained)} without a chain`];
  for (const chain of report.chains) lines.push(...formatChain(chain));
  if (report.malformed.count > 0) {
    lines.push(`UNREADABLE input: ${count(report.malformed.count)}`);
    for (const sample of report.malformed.samples.slice(0, 10)) lines.push(`  ${sample}`);
  }
  for (const record of report.orphanAltered.slice(0, 10)) lines.push(`ALTERED (no readable chain id): span ${record.spanId}: ${record.reason}`);
  lines.push(report.ok ? 'result: OK' : `result: FAILED (${report.problems.join('; ')})`);
  return `${lines.join('\n')}\n`;
}
