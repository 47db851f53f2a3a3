import { crc32 } from 'node:zlib';

/*
 * One spool file = a fixed header + one OTLP ExportTraceServiceRequest in protobuf bytes.
 *
 *   offset size
 *        0    4  magic "LOSP"
 *        4    1  format version (1)
 *        5    3  reserved, zero
 *        8    4  payload length, u32 BE
 *       12    4  span count, u32 BE (for drop accounting without decoding the payload)
 *       16    8  created, Unix milliseconds, f64 BE (for maxAge)
 *       24    4  CRC32 of bytes 0..23 and of the payload, u32 BE
 *       28       payload
 *
 * The CRC covers the header too, so a torn or bit-flipped file is recognised whatever was hit.
 * zlib.crc32 exists on every Node this package supports (>= 20.19), so no fallback hash is needed.
 */
const MAGIC = 0x4c4f5350; // "LOSP"
const VERSION = 1;
export const BATCH_HEADER_BYTES = 28;

export interface BatchHeader {
  payloadBytes: number;
  spanCount: number;
  createdMillis: number;
}

export type DecodedBatch = ({ ok: true; payload: Uint8Array } & BatchHeader) | { ok: false; reason: string };

export function encodeBatchFile(payload: Uint8Array, spanCount: number, createdMillis: number): Buffer {
  const file = Buffer.allocUnsafe(BATCH_HEADER_BYTES + payload.byteLength);
  file.writeUInt32BE(MAGIC, 0);
  file.writeUInt32BE(VERSION << 24, 4);
  file.writeUInt32BE(payload.byteLength, 8);
  file.writeUInt32BE(spanCount, 12);
  file.writeDoubleBE(createdMillis, 16);
  file.set(payload, BATCH_HEADER_BYTES);
  file.writeUInt32BE(checksum(file.subarray(0, 24), payload), 24);
  return file;
}

function checksum(headerPrefix: Uint8Array, payload: Uint8Array): number {
  return crc32(payload, crc32(headerPrefix)) >>> 0;
}

/** Reads the header only; `fileBytes` (the size on disk) catches a file torn before its end. */
export function decodeBatchHeader(head: Uint8Array, fileBytes: number): ({ ok: true } & BatchHeader) | { ok: false; reason: string } {
  if (head.byteLength < BATCH_HEADER_BYTES || fileBytes < BATCH_HEADER_BYTES) {
    return { ok: false, reason: `shorter than the ${BATCH_HEADER_BYTES}-byte header (${fileBytes} bytes)` };
  }
  const view = Buffer.from(head.buffer, head.byteOffset, BATCH_HEADER_BYTES);
  if (view.readUInt32BE(0) !== MAGIC) return { ok: false, reason: 'bad magic' };
  const version = view.readUInt8(4);
  if (version !== VERSION) return { ok: false, reason: `unknown format version ${version}` };
  const payloadBytes = view.readUInt32BE(8);
  if (BATCH_HEADER_BYTES + payloadBytes !== fileBytes) {
    return { ok: false, reason: `length mismatch: header says ${BATCH_HEADER_BYTES + payloadBytes} bytes, file has ${fileBytes}` };
  }
  return { ok: true, payloadBytes, spanCount: view.readUInt32BE(12), createdMillis: view.readDoubleBE(16) };
}

/** Verifies header, length and checksum of a whole file. */
export function decodeBatchFile(file: Uint8Array): DecodedBatch {
  const header = decodeBatchHeader(file, file.byteLength);
  if (!header.ok) return header;
  const payload = file.subarray(BATCH_HEADER_BYTES);
  const stored = Buffer.from(file.buffer, file.byteOffset, BATCH_HEADER_BYTES).readUInt32BE(24);
  if (checksum(file.subarray(0, 24), payload) !== stored) return { ok: false, reason: 'checksum mismatch' };
  return { ...header, payload };
}

/** The OTLP payload of a batch file, or undefined when it does not verify. */
export function payloadOfBatchFile(file: Uint8Array): Uint8Array | undefined {
  const decoded = decodeBatchFile(file);
  return decoded.ok ? decoded.payload : undefined;
}
