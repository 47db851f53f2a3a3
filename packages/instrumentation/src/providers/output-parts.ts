import type { MessagePart, OutputMessage } from '../content/messages';
import { parseArguments, TextBudget } from '../content/text-budget';
import type { AccumulatorOptions, ParsedResponse } from './adapter';

type PartState =
  | { kind: 'text' | 'reasoning'; text: string }
  | { kind: 'tool_call'; id?: string; name: string; arguments: string }
  | { kind: 'other'; part: MessagePart };

/** Tool names are at most 64 characters at OpenAI and Anthropic; ids are shorter still. */
const MAX_NAME_LENGTH = 256;
/** Keys of tool calls already counted (one per streamed call); past this many, keys are not remembered. */
const MAX_COUNTED_KEYS = 1024;

/**
 * The parts of one output message, built from whole responses or streamed deltas. All text goes
 * through the call's shared budget; without a budget (neither content capture nor estimation is on)
 * every method is a no-op, so an adapter can call them unconditionally at no cost.
 */
export class OutputParts {
  private readonly ordered: PartState[] = [];
  private readonly keyed = new Map<string | number, PartState>();
  private toolCalls = 0;
  private countedKeys?: Set<string | number>;

  constructor(private readonly budget: TextBudget | undefined) {}

  /**
   * How many tool calls the model asked for: counted with or without a budget (the span records the
   * count without content capture), once per key when a streamed call is announced again.
   */
  get toolCallCount(): number {
    return this.toolCalls;
  }

  /**
   * Appends text or reasoning. With a key (a provider's block or item index) the text goes to that
   * part; without one it extends the last part when that is of the same kind.
   */
  appendText(kind: 'text' | 'reasoning', text: string | undefined, key?: string | number): void {
    if (!this.budget || !text) return;
    const kept = this.budget.take(text);
    const existing = key === undefined ? this.ordered[this.ordered.length - 1] : this.keyed.get(key);
    if (existing && existing.kind === kind) {
      existing.text += kept;
      return;
    }
    this.push({ kind, text: kept }, key);
  }

  /** Starts a tool call; its arguments follow as a JSON string, whole or in deltas. */
  startToolCall(id: string | undefined, name: string, argumentsText: string, key?: string | number): void {
    this.countToolCall(key);
    if (!this.budget) return;
    // Tool names are not text the model streams and stay when the text budget is spent (an estimate
    // counts them); like ids, they come from the network, so each is cut to a length no real one has.
    this.push({ kind: 'tool_call', id: id?.slice(0, MAX_NAME_LENGTH), name: name.slice(0, MAX_NAME_LENGTH), arguments: this.budget.take(argumentsText) }, key);
  }

  /** A tool call whose arguments arrive as an object (Anthropic, Gemini, Ollama). */
  addToolCall(id: string | undefined, name: string, args: unknown): void {
    if (!this.budget) {
      this.countToolCall(undefined);
      return;
    }
    this.startToolCall(id, name, args === undefined ? '' : JSON.stringify(args));
  }

  appendToolArguments(key: string | number, delta: string | undefined): void {
    if (!this.budget || !delta) return;
    const call = this.keyed.get(key);
    if (call?.kind === 'tool_call') call.arguments += this.budget.take(delta);
  }

  /** Text, parts or keyed entries were dropped because the call's budget ran out. */
  get truncated(): boolean {
    return this.budget?.truncated ?? false;
  }

  /** A part with no text to budget (an image the model produced, a server-side tool result). */
  addOther(part: MessagePart): void {
    if (!this.budget) return;
    this.push({ kind: 'other', part: { ...part, type: String(part.type).slice(0, MAX_NAME_LENGTH) } }, undefined);
  }

  toParts(): MessagePart[] {
    return this.ordered.map((state): MessagePart => {
      switch (state.kind) {
        case 'text':
        case 'reasoning':
          return { type: state.kind, content: state.text };
        case 'tool_call':
          return { type: 'tool_call', id: state.id, name: state.name, arguments: state.arguments ? parseArguments(state.arguments) : {} };
        default:
          return state.part;
      }
    });
  }

  toMessage(finishReason: string | undefined): OutputMessage {
    return { role: 'assistant', parts: this.toParts(), finish_reason: finishReason ?? '' };
  }

  /** What a tokenizer would count as generated: text, reasoning, tool names and arguments. */
  textForEstimate(): string {
    let text = '';
    for (const state of this.ordered) {
      if (state.kind === 'tool_call') text += state.name + state.arguments;
      else if (state.kind !== 'other') text += state.text;
    }
    return text;
  }

  private countToolCall(key: string | number | undefined): void {
    if (key !== undefined) {
      if (this.countedKeys?.has(key)) return;
      this.countedKeys ??= new Set();
      if (this.countedKeys.size < MAX_COUNTED_KEYS) this.countedKeys.add(key);
    }
    this.toolCalls++;
  }

  /**
   * Every part, and every key (block or item indexes come from the network), claims room in the
   * call's budget first: the part list and the key map grow no further once it is spent.
   */
  private push(state: PartState, key: string | number | undefined): void {
    if (!this.budget?.takePart()) return;
    this.ordered.push(state);
    if (key !== undefined) this.keyed.set(key, state);
  }
}

/** One generated message: its parts and why it ended. */
export interface OutputState {
  parts: OutputParts;
  finishReason?: string;
}

const MAX_OUTPUTS = 128;

/** The outputs of a call that returns several (OpenAI choices, Gemini candidates), by index. */
export class IndexedOutputs {
  // A Map, not an array: an index of 10,000,000 in one chunk must not make a sparse array that
  // list() walks; indexes past the bound (OpenAI allows n <= 128) share the last slot.
  private readonly states = new Map<number, OutputState>();

  constructor(private readonly budget: TextBudget | undefined) {}

  at(index: number): OutputState {
    const slot = Number.isInteger(index) && index >= 0 && index < MAX_OUTPUTS ? index : MAX_OUTPUTS;
    let state = this.states.get(slot);
    if (!state) {
      state = { parts: new OutputParts(this.budget) };
      this.states.set(slot, state);
    }
    return state;
  }

  list(): OutputState[] {
    return [...this.states.entries()].sort(([a], [b]) => a - b).map(([, state]) => state);
  }

  finishReasons(): string[] {
    return this.list()
      .map((state) => state.finishReason)
      .filter((reason): reason is string => !!reason);
  }
}

/** The budget for one call's kept text, or undefined when neither capture nor estimation keeps any. */
export function outputBudget(options: AccumulatorOptions): TextBudget | undefined {
  return options.captureContent || options.keepOutputText ? new TextBudget(options.maxTextLength) : undefined;
}

/** Puts the kept output on a parsed response: messages when capturing, text when estimating. */
export function attachOutput(response: ParsedResponse, options: AccumulatorOptions, messages: readonly OutputState[]): ParsedResponse {
  if (options.keepOutputText) response.outputTextForEstimate = messages.map((message) => message.parts.textForEstimate()).join('');
  if (options.captureContent) response.outputMessages = messages.map((message) => message.parts.toMessage(message.finishReason));
  const toolCalls = messages.reduce((sum, message) => sum + message.parts.toolCallCount, 0);
  if (toolCalls > 0) response.toolCallCount = toolCalls;
  if (messages.some((message) => message.parts.truncated)) response.outputTruncated = true;
  return response;
}
