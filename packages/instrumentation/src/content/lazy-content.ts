import type { RequestContent } from '../providers/adapter';

/** Builds the request content once, on first use (content capture, or a token estimate). */
export function lazyContent(build: () => RequestContent): () => RequestContent {
  let built: RequestContent | undefined;
  return () => (built ??= build());
}
