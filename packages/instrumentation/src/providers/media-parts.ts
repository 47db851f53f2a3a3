import type { MessagePart } from '../content/messages';

/** The semconv modality of a media type: `image`, `audio`, `video`, else `file` (PDFs, text files). */
export function modalityOf(mimeType: string | undefined): string {
  const kind = mimeType?.slice(0, mimeType.indexOf('/'));
  return kind === 'image' || kind === 'audio' || kind === 'video' ? kind : 'file';
}

/** Inline media: only its kind and type go on the span, never the bytes. */
export function blobPart(mimeType: string | undefined, modality = modalityOf(mimeType)): MessagePart {
  return mimeType ? { type: 'blob', modality, mime_type: mimeType } : { type: 'blob', modality };
}

/** Media by reference (a URL or a provider file id). */
export function uriPart(uri: string, mimeType: string | undefined, modality = modalityOf(mimeType)): MessagePart {
  return mimeType ? { type: 'uri', modality, mime_type: mimeType, uri } : { type: 'uri', modality, uri };
}
