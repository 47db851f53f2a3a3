import { diag } from '@opentelemetry/api';
import type { BatchStore, SpoolEntry } from './batch-store';
import { replaceResource } from './otlp-payload';
import { type SpanResource, encodedResourceField, settle } from './pending-resource';

/** Distinct resources watched at once; a process has one or a few. */
const MAX_WATCHED_RESOURCES = 64;

/**
 * Puts the settled resource into batches written while it was pending (pending-resource.ts): as soon as
 * it settles (so the file on disk is complete even if the process dies before sending it), and at the
 * latest before the batch is sent. One rewrite per batch, however many callers ask.
 */
export class ResourceFixer {
  private readonly fixing = new WeakMap<SpoolEntry, Promise<void>>();
  private readonly watched = new Set<SpanResource>();

  constructor(
    private readonly store: BatchStore,
    private readonly entries: () => readonly SpoolEntry[],
    private readonly timeoutMillis: number,
  ) {}

  /** Resolves once the entry holds its settled resource, or when the resource did not settle within the timeout. */
  fix(entry: SpoolEntry): Promise<void> {
    if (!entry.pendingResource) return Promise.resolve();
    let running = this.fixing.get(entry);
    if (!running) {
      running = this.rewrite(entry, entry.pendingResource).finally(() => this.fixing.delete(entry));
      this.fixing.set(entry, running);
    }
    return running;
  }

  /** Fixes every waiting batch of `resource` once it settles. */
  watch(resource: SpanResource): void {
    if (this.watched.has(resource) || this.watched.size >= MAX_WATCHED_RESOURCES) return;
    this.watched.add(resource);
    void settle(resource).then(async () => {
      this.watched.delete(resource);
      for (const entry of this.entries()) if (entry.pendingResource === resource) await this.fix(entry);
    });
  }

  private async rewrite(entry: SpoolEntry, resource: SpanResource): Promise<void> {
    try {
      if (!(await settle(resource, this.timeoutMillis))) {
        diag.debug(`llm-otel spool: the resource of ${entry.name} did not settle within ${this.timeoutMillis} ms; sent as it is`);
        return;
      }
      const field = encodedResourceField(resource);
      if (!field || !this.store.has(entry)) return;
      const batch = await this.store.read(entry);
      if (!batch.ok) return;
      await this.store.replacePayload(entry, replaceResource(batch.payload, field), entry.spans);
      delete entry.pendingResource;
    } catch (error) {
      diag.warn(`llm-otel spool: could not add the settled resource to ${entry.name}: ${(error as Error).message}`);
    }
  }
}
