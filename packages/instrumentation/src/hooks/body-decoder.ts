import zlib from 'node:zlib';

/**
 * Undoes `content-encoding` for bytes seen at the dispatcher level, where undici hands over wire
 * bytes (fetch decompresses only after the dispatcher). Feeds decoded bytes to `onData` in order and
 * calls `onDone` after the last of them. Our own copy: the caller's bytes are untouched.
 */
export interface BodyDecoder {
  write(chunk: Uint8Array): void;
  end(): void;
}

export function createBodyDecoder(contentEncoding: string | undefined, onData: (chunk: Uint8Array) => void, onDone: (error?: Error) => void): BodyDecoder {
  const encoding = contentEncoding?.trim().toLowerCase();
  if (!encoding || encoding === 'identity') return { write: onData, end: () => onDone() };
  const stream = decompressorFor(encoding);
  if (!stream) {
    // zstd (Node 20 has no decoder) or a stacked encoding: we cannot read it, the caller still can.
    return { write: () => undefined, end: () => onDone(new Error(`content-encoding '${encoding}' is not supported`)) };
  }
  let failed = false;
  stream.on('data', (chunk: Buffer) => onData(chunk));
  stream.on('end', () => onDone());
  stream.on('error', (error: Error) => {
    failed = true;
    onDone(error);
  });
  return {
    write: (chunk) => {
      if (!failed) stream.write(chunk);
    },
    end: () => {
      if (!failed) stream.end();
    },
  };
}

function decompressorFor(encoding: string): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'deflate':
      return zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'br':
      return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
    default:
      return undefined;
  }
}
