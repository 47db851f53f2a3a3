import { diag } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ATTR_CHAIN_ID, ATTR_CHAIN_MAC, ATTR_CHAIN_SEQ, seqsInExportRequest, type IntegrityChain, type RecoveredChainEnd } from '@llm-otel/audit';

/*
 * The integrity chain as the spool uses it (docs/integrity-chain.md, DESIGN.md "Integrity chain").
 *
 * - Batches are signed right before they are serialised for the disk, on every path (asynchronous write,
 *   spill, exit): HMAC with node:crypto is synchronous, so the exit listener signs too. The order of the
 *   files is the chain's order.
 * - A batch the spool drops after signing (maxBytes, maxAge, rejected, too large) is declared lost by its
 *   sequence numbers, so the next checkpoint says so and the verifier reports a loss, not a deletion.
 * - The chain head: after each batch is on disk, `chain-head.json` in the spool directory names the last
 *   link written (chain id, seq, MAC). A later process that takes the directory over (a restart after a
 *   crash, or adoption of a dead worker's directory) writes a recovery span from it, so the verifier
 *   reports the old chain as crashed at that link, not as truncated (a deletion). The head is written
 *   without fsync: it is for crashes of the process (the page cache survives), and a head one batch
 *   behind only means the last batch shows as after the recorded end, which the verifier accepts.
 */

export const CHAIN_HEAD_FILE = 'chain-head.json';

export class SpoolChain {
  constructor(readonly chain: IntegrityChain) {}

  /** The spans as they are to be serialised, and the last link among them. */
  sign(spans: readonly ReadableSpan[]): { signed: ReadableSpan[]; end: RecoveredChainEnd | undefined } {
    const signed = this.chain.sign(spans);
    return { signed, end: this.lastLink(signed) };
  }

  /** Signed spans that never reached the disk (serialisation failed). */
  lostBeforeDisk(spans: readonly ReadableSpan[]): void {
    this.chain.recordExportFailure(spans);
  }

  /** A stored batch dropped or set aside: its links of this chain are declared lost. Never throws. */
  lostPayload(payload: Uint8Array | undefined): void {
    if (!payload) return;
    try {
      const seqs = seqsInExportRequest(payload).get(this.chain.chainId);
      if (seqs) this.chain.recordLostSeqs(seqs);
    } catch (error) {
      diag.debug(`llm-otel spool: could not read the chain links of a dropped batch: ${(error as Error).message}`);
    }
  }

  /** After a batch is durable in `dir`. Never throws (the head is a hint; the batch is what counts). */
  writeHead(dir: string, end: RecoveredChainEnd): void {
    try {
      const temp = join(dir, `${CHAIN_HEAD_FILE}.tmp`);
      writeFileSync(temp, JSON.stringify(end), { mode: 0o600 });
      renameSync(temp, join(dir, CHAIN_HEAD_FILE));
    } catch (error) {
      diag.debug(`llm-otel spool: could not write the chain head: ${(error as Error).message}`);
    }
  }

  /** The recovery span for the head another chain left in `dir`, if any. */
  recoverySpanFor(dir: string): ReadableSpan | undefined {
    const end = readChainHead(dir);
    if (!end || end.chainId === this.chain.chainId) return undefined;
    diag.info(`llm-otel spool: the chain ${end.chainId} of a previous process ended at seq ${end.lastSeq}; recorded`);
    return this.chain.recoverySpan(end);
  }

  private lastLink(signed: readonly ReadableSpan[]): RecoveredChainEnd | undefined {
    for (let at = signed.length - 1; at >= 0; at -= 1) {
      const attributes = signed[at]!.attributes;
      const seq = attributes[ATTR_CHAIN_SEQ];
      const mac = attributes[ATTR_CHAIN_MAC];
      if (attributes[ATTR_CHAIN_ID] === this.chain.chainId && typeof seq === 'number' && typeof mac === 'string') {
        return { chainId: this.chain.chainId, lastSeq: seq, lastMac: mac };
      }
    }
    return undefined;
  }
}

/** The head a spool directory holds, or undefined (absent, unreadable, or not ours: treated as hostile). */
export function readChainHead(dir: string): RecoveredChainEnd | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(dir, CHAIN_HEAD_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { chainId, lastSeq, lastMac } = parsed as Record<string, unknown>;
  if (typeof chainId !== 'string' || !/^[0-9a-f]{32}$/.test(chainId)) return undefined;
  if (typeof lastSeq !== 'number' || !Number.isSafeInteger(lastSeq) || lastSeq < 1) return undefined;
  if (typeof lastMac !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(lastMac)) return undefined;
  return { chainId, lastSeq, lastMac };
}

/** A dead process's head, once recorded (or when no chain is on): the directory must empty to be removed. */
export function removeChainHead(dir: string): void {
  for (const name of [CHAIN_HEAD_FILE, `${CHAIN_HEAD_FILE}.tmp`]) {
    try {
      unlinkSync(join(dir, name));
    } catch {
      // absent
    }
  }
}
