import { PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { exposeGc } from '../../../../test-support/memory.js';
import { type GcKind, gcKindOf } from '../gc-observer.js';

/**
 * Tells whether watched objects were garbage-collected. It uses a FinalizationRegistry, which
 * never keeps its targets alive (a WeakRef keeps its target until the current job ends, which
 * under top-level await can be long).
 */
export class GarbageWatch {
  private watched = 0;
  private finalized = 0;
  private readonly registry = new FinalizationRegistry<undefined>(() => {
    this.finalized++;
  });

  /** Watches `value` and returns it. */
  watch<T extends object>(value: T): T {
    this.watched++;
    this.registry.register(value, undefined);
    return value;
  }

  /** Objects watched so far that were collected. */
  get collected(): number {
    return this.finalized;
  }

  /** Collects garbage until every watched object was finalized, at most `attempts` times; true if all were. */
  async allCollected(attempts = 30): Promise<boolean> {
    const gc = exposeGc();
    for (let attempt = 0; attempt < attempts && this.finalized < this.watched; attempt++) {
      gc();
      await sleep(2);
    }
    return this.finalized === this.watched;
  }
}

/**
 * Counts `gc` performance entries by kind with a PerformanceObserver of its own: the reference
 * the collector's histogram is compared with. Node hands each entry to every observer in the same
 * callback run, so between two macrotasks both have seen the same entries.
 */
export class GcEntryCounter {
  readonly counts: Record<GcKind, number> = { minor: 0, major: 0, incremental: 0, weakcb: 0 };
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = gcKindOf(entry);
      if (kind !== undefined) this.counts[kind]++;
    }
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Stops counting. */
  stop(): void {
    this.observer.disconnect();
  }
}
