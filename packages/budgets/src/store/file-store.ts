import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { diag } from '@opentelemetry/api';
import type { SpendIncrement, SpendTotals } from './budget-store';
import { withFileLock } from './file-lock';
import { addInto, type StoredSpend } from './immediate-store';
import { dropExpired, MemoryBudgetStore } from './memory-store';

export interface FileBudgetStoreOptions {
  /** The budget file, e.g. `<spool dir>/budgets.json`. Its directory is created (mode 0700). */
  path: string;
  /** How often spend added since the last write is written, ms; default 1000. Also written on close() and at exit. */
  flushIntervalMillis?: number;
  /** Upper bound of keys in the file; expired keys go first, then the oldest periods. Default 10,000. */
  maxKeys?: number;
  now?: () => number;
}

const FORMAT_VERSION = 1;

/**
 * Spend in a small JSON file that survives restarts. Reads and adds are in memory (synchronous, for
 * the check before a call); what was added is merged into the file every second, at close and at
 * exit, under a lock file, by write-temp + fsync + rename (a crash leaves the old file or the new
 * one, never half of one). Processes sharing the file each add their own spend on merge and read the
 * others' at it: a shared hard stop sees another process's spend up to one flush interval late
 * (Redis is the store for a fleet). A SIGKILL loses at most the last interval's spend.
 */
export class FileBudgetStore extends MemoryBudgetStore {
  override readonly kind = 'file';
  /** What this process added since the last merge into the file (`spend` is the file as last read, plus it). */
  private readonly unwritten = new Map<string, StoredSpend>();
  private readonly timer: NodeJS.Timeout;
  private readonly onExit = () => this.flush();
  private closed = false;

  constructor(private readonly options: FileBudgetStoreOptions) {
    super(options.maxKeys ?? 10_000, options.now ?? Date.now);
    mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
    for (const [key, entry] of readSpendFile(options.path)) this.spend.set(key, entry);
    this.timer = setInterval(() => this.flush(), options.flushIntervalMillis ?? 1000);
    this.timer.unref();
    process.once('exit', this.onExit);
  }

  override addNow(increment: SpendIncrement): SpendTotals {
    addInto(this.unwritten, increment);
    return super.addNow(increment);
  }

  /** Merges what was added since the last write into the file. Never throws (a failure is retried next time). */
  flush(): void {
    if (this.unwritten.size === 0) return;
    try {
      const path = this.options.path;
      const locked = withFileLock(`${path}.lock`, 200, () => {
        const merged = readSpendFile(path);
        for (const [key, entry] of this.unwritten) addInto(merged, { key, ...entry });
        if (merged.size > this.maxKeys) dropExpired(merged, this.now(), this.maxKeys);
        writeAtomically(path, serialise(merged));
        this.unwritten.clear();
        this.spend.clear();
        for (const [key, entry] of merged) this.spend.set(key, entry);
      });
      if (!locked) diag.warn('llm-otel: the budget file is locked by another process; spend is written at the next flush');
    } catch (error) {
      diag.error(`llm-otel: writing the budget file failed (spend is kept in memory and written at the next flush): ${(error as Error).message}`);
    }
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    process.removeListener('exit', this.onExit);
    this.flush();
  }
}

function serialise(spend: Map<string, StoredSpend>): string {
  const out: Record<string, [number, number, number, number, number]> = {};
  for (const [key, e] of spend) out[key] = [e.exactMicros, e.estimatedMicros, e.unpricedCalls, e.calls, e.expiresAt];
  return JSON.stringify({ version: FORMAT_VERSION, spend: out });
}

/** The file's entries; an absent file is empty, a damaged one is reported and read as empty. */
export function readSpendFile(path: string): Map<string, StoredSpend> {
  const spend = new Map<string, StoredSpend>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') diag.error(`llm-otel: the budget file cannot be read: ${(error as Error).message}`);
    return spend;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    diag.error('llm-otel: the budget file is not JSON; spend starts from zero');
    return spend;
  }
  const entries = (parsed as { version?: unknown; spend?: unknown } | null)?.spend;
  if ((parsed as { version?: unknown }).version !== FORMAT_VERSION || typeof entries !== 'object' || entries === null) {
    diag.error('llm-otel: the budget file has an unknown format; spend starts from zero');
    return spend;
  }
  for (const [key, value] of Object.entries(entries)) {
    if (!Array.isArray(value) || value.length !== 5 || !value.every((n) => Number.isSafeInteger(n) && n >= 0)) continue;
    const [exactMicros, estimatedMicros, unpricedCalls, calls, expiresAt] = value as number[];
    spend.set(key, { exactMicros, estimatedMicros, unpricedCalls, calls, expiresAt });
  }
  return spend;
}

function writeAtomically(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    const bytes = Buffer.from(text);
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}
