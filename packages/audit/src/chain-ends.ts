import { ATTR_CHAIN_ID, ATTR_CHAIN_MAC, ATTR_CHAIN_SEQ } from './chain-attributes';
import type { RecoveredChainEnd } from './integrity-chain';

/*
 * Where each chain in an OTLP protobuf ExportTraceServiceRequest ends: what a process that recovers
 * another process's spool after a crash needs for `IntegrityChain.recoverySpan`. A minimal reader of
 * the protobuf wire format for one path only (request → resource_spans(1) → scope_spans(2) → spans(2)
 * → attributes(9) → key(1) / value(2) → string_value(1) | int_value(3), field numbers of
 * opentelemetry-proto), so the spool needs no decoder. Malformed bytes end the walk; nothing throws.
 */

interface Cursor {
  bytes: Uint8Array;
  at: number;
  end: number;
}

function varint(cursor: Cursor): number | undefined {
  let result = 0;
  let scale = 1;
  for (let shift = 0; shift < 64; shift += 7) {
    if (cursor.at >= cursor.end) return undefined;
    const byte = cursor.bytes[cursor.at++]!;
    // Numbers beyond 2^53 lose precision; sequence numbers never get there.
    result += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return result;
  }
  return undefined;
}

/** Calls `onField` for each field of the message in [at, end); returns false on malformed input. */
function fields(bytes: Uint8Array, at: number, end: number, onField: (field: number, value: number | Cursor) => void): boolean {
  const cursor: Cursor = { bytes, at, end };
  while (cursor.at < cursor.end) {
    const tag = varint(cursor);
    if (tag === undefined) return false;
    const field = Math.floor(tag / 8);
    switch (tag % 8) {
      case 0: {
        const value = varint(cursor);
        if (value === undefined) return false;
        onField(field, value);
        break;
      }
      case 1:
        cursor.at += 8;
        break;
      case 2: {
        const length = varint(cursor);
        if (length === undefined || cursor.at + length > cursor.end) return false;
        onField(field, { bytes, at: cursor.at, end: cursor.at + length });
        cursor.at += length;
        break;
      }
      case 5:
        cursor.at += 4;
        break;
      default:
        return false;
    }
  }
  return cursor.at === cursor.end;
}

const decoder = new TextDecoder();
const text = (cursor: Cursor) => decoder.decode(cursor.bytes.subarray(cursor.at, cursor.end));
const isCursor = (value: number | Cursor): value is Cursor => typeof value === 'object';

function chainAttributesOfSpan(span: Cursor): { chainId?: string; seq?: number; mac?: string } {
  const found: { chainId?: string; seq?: number; mac?: string } = {};
  fields(span.bytes, span.at, span.end, (field, value) => {
    if (field !== 9 || !isCursor(value)) return;
    let key: string | undefined;
    let anyValue: Cursor | undefined;
    fields(value.bytes, value.at, value.end, (kvField, kvValue) => {
      if (kvField === 1 && isCursor(kvValue)) key = text(kvValue);
      if (kvField === 2 && isCursor(kvValue)) anyValue = kvValue;
    });
    if (!anyValue || (key !== ATTR_CHAIN_ID && key !== ATTR_CHAIN_SEQ && key !== ATTR_CHAIN_MAC)) return;
    fields(anyValue.bytes, anyValue.at, anyValue.end, (valueField, inner) => {
      if (key === ATTR_CHAIN_SEQ && valueField === 3 && !isCursor(inner)) found.seq = inner;
      else if (valueField === 1 && isCursor(inner)) {
        if (key === ATTR_CHAIN_ID) found.chainId = text(inner);
        if (key === ATTR_CHAIN_MAC) found.mac = text(inner);
      }
    });
  });
  return found;
}

/** Calls `onLink` for each chained span of a serialised ExportTraceServiceRequest. */
function forEachLink(payload: Uint8Array, onLink: (chainId: string, seq: number, mac: string) => void): void {
  fields(payload, 0, payload.length, (field, resourceSpans) => {
    if (field !== 1 || !isCursor(resourceSpans)) return;
    fields(resourceSpans.bytes, resourceSpans.at, resourceSpans.end, (rsField, scopeSpans) => {
      if (rsField !== 2 || !isCursor(scopeSpans)) return;
      fields(scopeSpans.bytes, scopeSpans.at, scopeSpans.end, (ssField, span) => {
        if (ssField !== 2 || !isCursor(span)) return;
        const { chainId, seq, mac } = chainAttributesOfSpan(span);
        if (chainId !== undefined && seq !== undefined && mac !== undefined) onLink(chainId, seq, mac);
      });
    });
  });
}

/**
 * The sequence numbers per chain in a serialised batch: for a spool that drops a batch file (too old,
 * over its byte bound) to tell the chain (`IntegrityChain.recordLostSeqs`), so the loss is declared.
 */
export function seqsInExportRequest(payload: Uint8Array): Map<string, number[]> {
  const seqs = new Map<string, number[]>();
  forEachLink(payload, (chainId, seq) => {
    const list = seqs.get(chainId);
    if (list) list.push(seq);
    else seqs.set(chainId, [seq]);
  });
  return seqs;
}

/**
 * The last link (highest sequence number) of each chain in a serialised ExportTraceServiceRequest,
 * merged into `ends` (so a caller can fold every recovered batch file of a spool into one map).
 */
export function chainEndsInExportRequest(payload: Uint8Array, ends: Map<string, RecoveredChainEnd> = new Map()): Map<string, RecoveredChainEnd> {
  forEachLink(payload, (chainId, seq, mac) => {
    const known = ends.get(chainId);
    if (!known || seq > known.lastSeq) ends.set(chainId, { chainId, lastSeq: seq, lastMac: mac });
  });
  return ends;
}
