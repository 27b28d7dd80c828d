import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';

/** prom-client's names of the kinds of garbage collection (the `kind` label). */
export const GC_KINDS = ['minor', 'major', 'incremental', 'weakcb'] as const;

/** One of {@link GC_KINDS}. */
export type GcKind = (typeof GC_KINDS)[number];

/** The kind of a `gc` performance entry, or undefined for a kind Node does not document. */
export function gcKindOf(entry: PerformanceEntry): GcKind | undefined {
  switch (((entry as { detail?: unknown }).detail as { kind?: unknown } | undefined)?.kind) {
    case constants.NODE_PERFORMANCE_GC_MINOR:
      return 'minor';
    case constants.NODE_PERFORMANCE_GC_MAJOR:
      return 'major';
    case constants.NODE_PERFORMANCE_GC_INCREMENTAL:
      return 'incremental';
    case constants.NODE_PERFORMANCE_GC_WEAKCB:
      return 'weakcb';
    default:
      return undefined;
  }
}

/** Told about each garbage-collection pause: its kind and duration in seconds. */
export type GcListener = (kind: GcKind, seconds: number) => void;

/**
 * Watches garbage-collection pauses through a `PerformanceObserver` of `gc` entries (Node reports
 * them after the pause, outside the GC). `stop()` disconnects it; nothing stays subscribed.
 */
export class GcObserver {
  private observer: PerformanceObserver | undefined;

  constructor(
    private readonly listener: GcListener,
    /** Told when handling an entry threw (the listener is user-facing code's neighbour). */
    private readonly onError: (error: unknown) => void,
  ) {}

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.observer !== undefined;
  }

  /** Subscribes to `gc` entries; calling it again does nothing. */
  start(): void {
    if (this.observer !== undefined) return;
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        try {
          const kind = gcKindOf(entry);
          if (kind !== undefined) this.listener(kind, entry.duration / 1000);
        } catch (error) {
          this.onError(error);
        }
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Unsubscribes. */
  stop(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }
}
