import type { ResponseObserver } from '../framing/response-observer';
import { guarded } from '../guard';

/** Error bodies are small; a call keeps at most this much of one. */
export const MAX_ERROR_BODY = 64 * 1024;

/**
 * The ways a response body can end, the same for every call the hooks observe (an LLM attempt, an
 * MCP request): each leads to the subclass's `finish`, which ends the span once. The subclass reads
 * the body through `observer` and says in `problem` what went wrong with it.
 */
export abstract class BodyEndings {
  protected observer?: ResponseObserver;
  protected problem?: string;
  protected finished = false;

  /** `reading`: what the guard's diagnostic says was being done when a body reader threw. */
  protected constructor(private readonly reading: string) {}

  protected abstract finish(error: unknown, cancelled: boolean): void;

  /** True when the body is one JSON document: `Response.json()` parses it as the adapter would. */
  get wantsWholeJson(): boolean {
    return this.observer?.framing === 'json';
  }

  /**
   * The whole body, parsed by the caller's `Response.json()`. Read at once, before the caller gets
   * the value (it may change it), and only the fields the reader keeps.
   */
  onWholeJson(value: unknown): void {
    guarded(this.reading, () => this.observer?.acceptJson(value), undefined);
    this.finish(undefined, false);
  }

  /** The whole body as the caller's `Response.text()` read it. */
  onWholeText(text: string): void {
    this.observer?.pushText(text);
    this.finish(undefined, false);
  }

  /** The caller's `Response.json()` found no JSON document (its SyntaxError quotes the body: not kept). */
  onWholeJsonInvalid(): void {
    this.problem ??= 'response body: not valid JSON';
    this.finish(undefined, false);
  }

  /** The body was read to its end. */
  onEnd(): void {
    this.finish(undefined, false);
  }

  /** The caller stopped reading (cancelled the body); normal if the response was already complete. */
  onCancel(): void {
    this.finish(undefined, true);
  }

  /** The request or the body failed (network error, abort, truncated body). */
  onError(error: unknown): void {
    this.finish(error, false);
  }

  /** True once the call ended (its span's end is under way): nothing can abandon it any more. */
  get ended(): boolean {
    return this.finished;
  }

  /** The response object was garbage-collected before its body was read to the end. */
  onAbandoned(): void {
    if (this.finished) return;
    this.problem ??= 'the response body was never read to its end';
    this.finish(undefined, true);
  }
}
