/**
 * Process-wide view of the LLM spans still completing (end-of-call parsing, token estimates), so a
 * span processor can wait for them on forceFlush()/shutdown() without a reference to the
 * instrumentation: NodeSDK users hand it only to `instrumentations`. Each LlmInstrumentation keeps
 * its own set and that set registers itself here only while it holds work, so the registry never
 * grows with instances. The registry sits under a `Symbol.for` key: two copies of this package
 * (two versions installed side by side) share it.
 */
const REGISTRY = Symbol.for('llm-otel.instrumentation.pending-llm-spans');
type GlobalSlot = { [REGISTRY]?: Set<Set<Promise<void>>> };

function registry(): Set<Set<Promise<void>>> {
  const slot = globalThis as GlobalSlot;
  return (slot[REGISTRY] ??= new Set());
}

/** A set of pending span completions that is visible to flushPendingLlmSpans() while non-empty. */
export class PendingCompletions extends Set<Promise<void>> {
  override add(completion: Promise<void>): this {
    super.add(completion);
    if (this.size === 1) registry().add(this);
    return this;
  }

  override delete(completion: Promise<void>): boolean {
    const deleted = super.delete(completion);
    if (this.size === 0) registry().delete(this);
    return deleted;
  }

  override clear(): void {
    super.clear();
    registry().delete(this);
  }
}

/**
 * Resolves once every LLM span that was completing when it was called has ended (of every
 * LlmInstrumentation in the process), or when `timeoutMillis` passes; never rejects.
 */
export async function flushPendingLlmSpans(timeoutMillis = 5000): Promise<void> {
  const pending: Promise<void>[] = [];
  for (const completions of registry()) pending.push(...completions);
  if (pending.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    // Referenced: whoever awaits the flush must see it settle before the loop can empty.
    timer = setTimeout(resolve, timeoutMillis);
  });
  await Promise.race([Promise.allSettled(pending), deadline]);
  clearTimeout(timer);
}
