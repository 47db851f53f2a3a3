import type { ParsedResponse, ResponseAccumulator, StreamEvent } from '../providers/adapter';
import { cut } from './json-rpc-message';

/** What the JSON-RPC response to our request said, read as its event or body arrives (nothing else is kept). */
export interface McpOutcome {
  /** The response with our id arrived. */
  answered: boolean;
  /** JSON-RPC error code, as a string. */
  errorCode?: string;
  errorMessage?: string;
  /** CallToolResult with `isError: true`. */
  toolError?: boolean;
  /** InitializeResult.protocolVersion. */
  protocolVersion?: string;
  /** The result as JSON, under content capture, cut to the content bound. */
  resultText?: string;
  resultTruncated?: boolean;
}

const MAX_ERROR_MESSAGE = 1024;

/**
 * Finds the JSON-RPC response to one request in a plain JSON body or among the events of an SSE
 * stream (which may also carry the server's own requests and notifications before it). Used as
 * the ResponseObserver's accumulator, so bodies and events are bounded exactly as LLM responses are.
 */
export class McpResponseReader implements ResponseAccumulator {
  readonly outcome: McpOutcome = { answered: false };

  constructor(
    private readonly requestId: string | undefined,
    private readonly keepResult: { maxLength: number } | undefined,
  ) {}

  onEvent(event: StreamEvent): void {
    this.onMessage(event.data);
  }

  onBody(body: unknown): void {
    this.onMessage(body);
  }

  finish(): ParsedResponse {
    return {};
  }

  private onMessage(message: unknown): void {
    if (this.outcome.answered || typeof message !== 'object' || message === null || Array.isArray(message)) return;
    const { id, result, error } = message as Record<string, unknown>;
    if (!('result' in message) && !('error' in message)) return; // a server request or notification
    // A parse error answers with id null: it is still the answer to what we sent.
    if (id !== null && (this.requestId === undefined || String(id) !== this.requestId)) return;
    this.outcome.answered = true;
    if (typeof error === 'object' && error !== null) {
      const { code, message: text } = error as Record<string, unknown>;
      this.outcome.errorCode = typeof code === 'number' || typeof code === 'string' ? cut(String(code)) : '_OTHER';
      if (typeof text === 'string') this.outcome.errorMessage = text.slice(0, MAX_ERROR_MESSAGE);
      return;
    }
    if (typeof result !== 'object' || result === null) return;
    const fields = result as Record<string, unknown>;
    if (fields.isError === true) this.outcome.toolError = true;
    if (typeof fields.protocolVersion === 'string') this.outcome.protocolVersion = cut(fields.protocolVersion);
    if (this.keepResult) {
      const text = JSON.stringify(result);
      this.outcome.resultTruncated = text.length > this.keepResult.maxLength;
      this.outcome.resultText = this.outcome.resultTruncated ? text.slice(0, this.keepResult.maxLength) : text;
    }
  }
}
