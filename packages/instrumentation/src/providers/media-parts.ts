import type { MessagePart } from '../content/messages';

/**
 * The semconv modality of a media type: `image`, `audio`, `video`, else `document` (PDFs, text files;
 * the GenAI repository's modality for them).
 */
export function modalityOf(mimeType: string | undefined): string {
  const kind = mimeType?.slice(0, mimeType.indexOf('/'));
  return kind === 'image' || kind === 'audio' || kind === 'video' ? kind : 'document';
}

/**
 * Inline media whose bytes we do not copy (base64 images and audio would make spans huge, and PII
 * masking cannot see into them). Semconv's `blob` part requires `content`, so this is a generic part
 * of our own type, `omitted_blob`: its kind and media type show, never its bytes.
 */
export function omittedBlobPart(mimeType: string | undefined, modality = modalityOf(mimeType)): MessagePart {
  return mimeType ? { type: 'omitted_blob', modality, mime_type: mimeType } : { type: 'omitted_blob', modality };
}

/** Media by URL. */
export function uriPart(uri: string, mimeType: string | undefined, modality = modalityOf(mimeType)): MessagePart {
  return mimeType ? { type: 'uri', modality, mime_type: mimeType, uri } : { type: 'uri', modality, uri };
}

/** A file uploaded to the provider beforehand, by its id (semconv `file` part). */
export function filePart(fileId: string, mimeType: string | undefined, modality = modalityOf(mimeType)): MessagePart {
  return mimeType ? { type: 'file', modality, mime_type: mimeType, file_id: fileId } : { type: 'file', modality, file_id: fileId };
}

/** The media type of a `data:` URL (`data:image/png;base64,...`), without copying its payload. */
export function dataUrlMediaType(url: string): string | undefined {
  const end = url.search(/[;,]/);
  return end > 5 ? url.slice(5, end) : undefined;
}
