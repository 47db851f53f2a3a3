/**
 * A protobuf writer into one growing Buffer, for the OTLP trace request (trace-request.ts). Strings go
 * through Node's native UTF-8 encoder (`Buffer#write`) once; upstream's writer walked each string three
 * times in JavaScript (a UTF-8 length loop for its size estimate, an ASCII check, a char-by-char copy),
 * ~25 µs of a 2 KB-content LLM span (bench/export profile, issue 11).
 *
 * Every value is written exactly as @opentelemetry/otlp-transformer 0.223's ProtobufWriter writes it,
 * odd inputs included (a varint of `undefined` is one 0 byte, a negative int64 is ten bytes, a lone
 * surrogate becomes U+FFFD): packages/setup/test/otlp/trace-serializer.test.ts compares the bytes.
 */
export class ProtoWriter {
  buf: Buffer;
  pos = 0;
  private view: DataView;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafeSlow(size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Room for `bytes` more bytes. */
  ensure(bytes: number): void {
    if (this.pos + bytes > this.buf.length) this.grow(this.pos + bytes);
  }

  private grow(needed: number): void {
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const bigger = Buffer.allocUnsafeSlow(size);
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
    this.view = new DataView(bigger.buffer, bigger.byteOffset, bigger.byteLength);
  }

  /** One byte (a field tag below 16, or any byte the caller knows). */
  byte(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  /** A varint as upstream writes it: 32-bit values directly, anything else as 64-bit two's complement. */
  varint(value: number): void {
    this.ensure(10);
    const buf = this.buf;
    if (value >= 0 && value <= 0xffffffff) {
      let v = value >>> 0;
      while (v > 0x7f) {
        buf[this.pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buf[this.pos++] = v;
      return;
    }
    let low: number;
    let high: number;
    if (value >= 0) {
      low = value >>> 0;
      high = (value / 0x100000000) >>> 0;
    } else {
      const abs = Math.abs(value);
      low = (~(abs >>> 0) + 1) >>> 0;
      high = ~((abs / 0x100000000) >>> 0) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    while (high > 0 || low > 0x7f) {
      buf[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buf[this.pos++] = low & 0x7f;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  fixed64(low: number, high: number): void {
    this.ensure(8);
    this.buf.writeUInt32LE(low >>> 0, this.pos);
    this.buf.writeUInt32LE(high >>> 0, this.pos + 4);
    this.pos += 8;
  }

  /** IEEE 754 little-endian through a DataView, as upstream (NaN payloads kept the same way). */
  double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** Bytes as they are (an already encoded field). */
  raw(value: Uint8Array): void {
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** Length-prefixed bytes. */
  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.raw(value);
  }

  /**
   * A length-prefixed UTF-8 string. Short strings are copied in JavaScript while they are ASCII (a
   * native call costs more than a loop of a few dozen characters); longer ones, and any non-ASCII,
   * are encoded natively once, behind a length prefix sized for the worst case (3 bytes per UTF-16
   * unit) and moved back if the real length needs fewer bytes.
   */
  string(value: string): void {
    if (typeof value !== 'string') {
      this.oddString(value);
      return;
    }
    const length = value.length;
    if (length < SHORT_STRING) {
      this.ensure(1 + 3 * length);
      const buf = this.buf;
      const start = this.pos;
      let at = start + 1;
      for (let i = 0; i < length; i++) {
        const code = value.charCodeAt(i);
        if (code > 0x7f) {
          // 3 bytes per unit at most, so under 128 bytes and its prefix stays one byte.
          const written = buf.write(value, start + 1, 'utf8');
          buf[start] = written;
          this.pos = start + 1 + written;
          return;
        }
        buf[at++] = code;
      }
      buf[start] = length;
      this.pos = at;
      return;
    }
    if (length > LARGE_STRING) {
      // Measured first, so that room for 3 bytes a unit (tens of MB for a large value) is not asked for.
      const bytes = Buffer.byteLength(value, 'utf8');
      this.varint(bytes);
      this.ensure(bytes);
      this.pos += this.buf.write(value, this.pos, 'utf8');
      return;
    }
    const reserved = varintSize(3 * length);
    this.ensure(reserved + 3 * length);
    const written = this.buf.write(value, this.pos + reserved, 'utf8');
    this.placePrefix(this.pos, reserved, written);
    this.pos += varintSize(written) + written;
  }

  /**
   * Starts a length-delimited field whose length is not known yet, keeping `reserved` bytes for its
   * length (a guess: finish() moves the content when the guess was wrong). Returns the start.
   */
  start(reserved: number): number {
    this.ensure(reserved);
    const at = this.pos;
    this.pos += reserved;
    return at;
  }

  /** Writes the length of the field begun at `at` with `reserved` bytes kept for it. */
  finish(at: number, reserved: number): void {
    const length = this.pos - at - reserved;
    if (reserved === 1 && length < 0x80) {
      this.buf[at] = length;
      return;
    }
    const moved = this.placePrefix(at, reserved, length);
    this.pos += moved;
  }

  /** The varint `length` at `at`, moving the `length` bytes after the reserved space; returns the shift. */
  private placePrefix(at: number, reserved: number, length: number): number {
    const size = varintSize(length);
    if (size !== reserved) {
      if (size > reserved) this.ensure(size - reserved);
      this.buf.copyWithin(at + size, at + reserved, at + reserved + length);
    }
    const buf = this.buf;
    let v = length;
    while (v > 0x7f) {
      buf[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[at] = v;
    return size - reserved;
  }

  /**
   * Hex text as bytes, as upstream's hexToBinary: half the length (rounded down) of bytes, each from
   * two characters where 0-9 and a-f are themselves and any other character is its code minus 55.
   */
  hex(value: string): void {
    if (typeof value !== 'string') {
      this.bytes(hexToBinary(value));
      return;
    }
    const count = value.length >>> 1;
    this.varint(count);
    this.ensure(count);
    const buf = this.buf;
    let at = this.pos;
    for (let i = 0; i < 2 * count; i += 2) buf[at++] = (hexCharValue(value.charCodeAt(i)) << 4) | hexCharValue(value.charCodeAt(i + 1));
    this.pos = at;
  }

  /** What upstream's writeString does with a value that is not a string (it reads .length and charCodeAt). */
  private oddString(value: unknown): void {
    const odd = value as { length: number; charCodeAt(index: number): number };
    const length = odd.length;
    for (let i = 0; i < length; i++) {
      if (odd.charCodeAt(i) > 127) {
        this.bytes(new TextEncoder().encode(odd as unknown as string));
        return;
      }
    }
    this.varint(length);
    for (let i = 0; i < length; i++) this.byte(odd.charCodeAt(i));
  }

  /** The bytes written, in a Uint8Array of their own (the writer's buffer is reused). */
  copyOut(): Uint8Array {
    const out = Buffer.allocUnsafeSlow(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }
}

/**
 * Below this many UTF-16 units a string is copied in JavaScript: 42 units of 3 bytes still fit a one-byte
 * prefix. Copying them natively too cost ~1.1 µs more per bench span (25 attributes, measured).
 */
const SHORT_STRING = 43;

/** Above this many UTF-16 units a string's UTF-8 length is measured before it is written. */
const LARGE_STRING = 64 * 1024;

export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

// hexDigit of each ASCII code, looked up: 0.2-0.3 µs less per bench span than the comparisons (measured).
const HEX_VALUES = Int16Array.from({ length: 128 }, (_, code) => hexDigit(code));

/** hexDigit of a string's character code (an integer from 0 to 0xffff). */
function hexCharValue(code: number): number {
  return code < 128 ? HEX_VALUES[code] : code - 55;
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return code - 55;
}

function hexToBinary(value: unknown): Uint8Array {
  const text = value as string;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0, at = 0; i < text.length; i += 2) out[at++] = (hexDigit(text.charCodeAt(i)) << 4) | hexDigit(text.charCodeAt(i + 1));
  return out;
}
