import type { ResponseAccumulator, SalvageFields, StreamFraming } from '../providers/adapter';
import { BoundedBody } from './bounded-body';
import { describeJsonFailure } from './json-failure';
import { ChunkText } from './chunk-text';
import { JsonArrayDecoder } from './json-array-decoder';
import { LineDecoder } from './line-decoder';
import { SseDecoder } from './sse-decoder';

export interface ObserverLimits {
  maxBodyLength: number;
  maxEventLength: number;
  /** The fields to keep from a non-streamed body over `maxBodyLength` (the adapter's). */
  salvage?: SalvageFields;
  /** Events for which this returns false are counted but not parsed (see ProviderAdapter). */
  eventFilter?: (data: string, index: number, name: string | undefined) => boolean;
}

export interface ObserverListener {
  /** The first event of a stream arrived (time to first chunk). */
  onFirstEvent(): void;
  /** Any event arrived, the first included (time per output chunk). */
  onEvent?(): void;
  /** Something in the body could not be parsed; the caller's bytes are unaffected. */
  onProblem(message: string): void;
}

/**
 * Turns response bytes, as the caller reads them, into adapter calls: decodes UTF-8, splits the
 * body by its framing and parses each event. Never throws (the hook calls it inline with the
 * caller's read); problems go to `listener.onProblem`.
 */
export class ResponseObserver {
  eventCount = 0;
  truncated = false;
  /** `data: [DONE]` (OpenAI-style SSE end marker) was seen. */
  sawDoneMarker = false;
  /** A whole (non-streamed) body once ended: its JSON, or its text when it was not JSON. */
  wholeBody: unknown;
  private readonly decoder = new ChunkText();
  private readonly sink: { push(text: string): void; end(): void };
  private body: BoundedBody | undefined;
  private readonly eventFilter: ObserverLimits['eventFilter'];

  constructor(
    readonly framing: StreamFraming,
    private readonly accumulator: ResponseAccumulator,
    private readonly listener: ObserverListener,
    limits: ObserverLimits,
  ) {
    this.eventFilter = limits.eventFilter;
    const oversized = () => listener.onProblem(`a streamed event exceeded ${limits.maxEventLength} characters and was skipped`);
    switch (framing) {
      case 'sse':
        this.sink = new SseDecoder((event) => this.onEventData(event.data, event.name), oversized, limits.maxEventLength);
        break;
      case 'ndjson':
        this.sink = new LineDecoder((line) => this.onEventData(line), oversized, limits.maxEventLength);
        break;
      case 'json-array':
        this.sink = new JsonArrayDecoder((text) => this.onEventData(text), oversized, limits.maxEventLength);
        break;
      default: {
        const body = new BoundedBody(limits.maxBodyLength, limits.salvage);
        this.body = body;
        this.sink = { push: (text) => body.push(text), end: () => undefined };
      }
    }
  }

  push(chunk: Uint8Array): void {
    try {
      this.sink.push(this.decoder.decode(chunk));
    } catch (error) {
      this.listener.onProblem(`response parsing failed: ${(error as Error).message}`);
    }
  }

  /** A part of the body the caller read as text (`Response.text()`): no bytes to decode. */
  pushText(text: string): void {
    try {
      this.sink.push(text);
    } catch (error) {
      this.listener.onProblem(`response parsing failed: ${(error as Error).message}`);
    }
  }

  /**
   * The whole body as the caller's `Response.json()` parsed it: the adapter reads that value instead
   * of our copy of the bytes, which are then neither kept nor parsed a second time.
   */
  acceptJson(value: unknown): void {
    this.body = undefined;
    this.wholeBody = value;
    try {
      this.accumulator.onBody(value);
    } catch (error) {
      this.listener.onProblem(`response parsing failed: ${(error as Error).message}`);
    }
  }

  /** The body ended (fully read, or cut); flushes what is buffered. */
  end(): void {
    try {
      const rest = this.decoder.end();
      if (rest) this.sink.push(rest);
      this.sink.end();
      if (this.body) this.finishBody(this.body);
    } catch (error) {
      this.listener.onProblem(`response parsing failed: ${(error as Error).message}`);
    }
  }

  private finishBody(body: BoundedBody): void {
    const result = body.finish();
    this.truncated = body.truncated;
    if ('json' in result) {
      this.wholeBody = result.json;
      this.accumulator.onBody(result.json);
    } else {
      this.wholeBody = result.text;
      this.listener.onProblem(result.error);
    }
  }

  private onEventData(data: string, name?: string): void {
    const index = this.eventCount++;
    if (index === 0) this.listener.onFirstEvent();
    this.listener.onEvent?.();
    if (data === '[DONE]') {
      this.sawDoneMarker = true;
      return;
    }
    if (this.eventFilter && !this.eventFilter(data, index, name)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch (error) {
      this.listener.onProblem(describeJsonFailure(`streamed event #${index}`, data, error, name));
      return;
    }
    this.accumulator.onEvent(name === undefined ? { data: parsed } : { name, data: parsed });
  }
}
