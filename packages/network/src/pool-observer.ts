import { ConfigError, describeValue, type Gauge, type MetricsRegistry } from '@fw0/metrics-core';
import { NetworkMetricName as Name } from './names.js';
import { isLabelText } from './target-recorders.js';

/** The stats of an undici Pool (all fields) or Client (`connected` is a boolean, no free/queued). */
export interface DispatcherStats {
  readonly connected: number | boolean;
  readonly free?: number;
  readonly pending: number;
  readonly queued?: number;
  readonly running: number;
  readonly size: number;
}

/**
 * What `observeDispatcher` accepts: an undici Pool, BalancedPool or Client (`stats` is one
 * object), or an Agent (`stats` maps each origin to its pool's stats).
 */
export interface ObservableDispatcher {
  readonly stats: DispatcherStats | Readonly<Record<string, DispatcherStats>>;
  readonly closed?: boolean;
  readonly destroyed?: boolean;
}

const FIELDS = ['connected', 'free', 'pending', 'queued', 'running', 'size'] as const;
type Field = (typeof FIELDS)[number];

const HELP: Readonly<Record<Field, string>> = {
  connected: 'Open connections of the undici dispatcher',
  free: 'Open connections of the undici dispatcher without an active request',
  pending: 'Requests not yet sent (queued ones included)',
  queued: 'Requests waiting for a connection',
  running: 'Requests sent and waiting for their response',
  size: 'Requests active, pending or queued',
};

const NAMES: Readonly<Record<Field, string>> = {
  connected: Name.POOL_CONNECTED,
  free: Name.POOL_FREE,
  pending: Name.POOL_PENDING,
  queued: Name.POOL_QUEUED,
  running: Name.POOL_RUNNING,
  size: Name.POOL_SIZE,
};

interface Observed {
  readonly dispatcher: ObservableDispatcher;
  /** Label sets written at the last refresh, by origin ('' for a Pool or Client). */
  labels: Map<string, Readonly<Record<string, string>>>;
}

/**
 * Exports the stats of undici dispatchers as gauges, read at collection time. A dispatcher that
 * is closed is dropped with its series; one whose stats throw has its series removed (never left
 * stale) and the error reported, and is read again at the next collection.
 */
export class PoolObserver {
  private readonly gauges: Readonly<Record<Field, Gauge>>;
  private readonly observed = new Map<string, Observed>();

  constructor(registry: MetricsRegistry) {
    const gauges = {} as Record<Field, Gauge>;
    for (const field of FIELDS) gauges[field] = registry.gauge({ name: NAMES[field], help: HELP[field] });
    this.gauges = gauges;
  }

  /**
   * Starts exporting `dispatcher` under `name` (the `name` label: a non-empty string of valid
   * Unicode). Throws ConfigError for a bad name or dispatcher, or a name in use.
   */
  observe(dispatcher: ObservableDispatcher, name: string): void {
    // Checked here, not when the gauges are set at collection: a name that cannot be a label
    // value would fail there and stop the refresh of the dispatchers observed after it.
    if (!isLabelText(name)) {
      throw new ConfigError(
        `Invalid dispatcher name ${describeValue(name)}: expected a non-empty string of valid Unicode`,
        {
          subject: 'name',
          value: name,
        },
      );
    }
    if (typeof dispatcher !== 'object' || dispatcher === null || !('stats' in dispatcher)) {
      throw new ConfigError(
        `Cannot observe ${describeValue(dispatcher)} as "${name}": expected an undici Pool, Client or Agent (an object with stats)`,
        { subject: name, value: dispatcher },
      );
    }
    if (this.observed.has(name)) {
      throw new ConfigError(`A dispatcher is already observed under the name "${name}"`, {
        subject: name,
        value: name,
      });
    }
    this.observed.set(name, { dispatcher, labels: new Map() });
  }

  /** Stops exporting the dispatcher observed as `name` and removes its series; true if there was one. */
  unobserve(name: string): boolean {
    const observed = this.observed.get(name);
    if (observed === undefined) return false;
    this.removeSeries(observed, new Set());
    this.observed.delete(name);
    return true;
  }

  /** Reads every observed dispatcher's stats into the gauges; `onError` hears of stats that failed. */
  refresh(onError: (name: string, error: unknown) => void): void {
    for (const [name, observed] of this.observed) {
      const { dispatcher } = observed;
      if (dispatcher.closed === true || dispatcher.destroyed === true) {
        this.removeSeries(observed, new Set());
        this.observed.delete(name);
        continue;
      }
      let entries: [string, DispatcherStats][];
      try {
        entries = readStats(dispatcher);
      } catch (error) {
        this.removeSeries(observed, new Set());
        onError(name, error);
        continue;
      }
      const seen = new Set<string>();
      for (const [origin, stats] of entries) {
        seen.add(origin);
        let labels = observed.labels.get(origin);
        if (labels === undefined) {
          labels = origin === '' ? { name } : { name, origin };
          observed.labels.set(origin, labels);
        }
        for (const field of FIELDS) {
          const value = stats[field];
          if (value === undefined) continue;
          this.gauges[field].set(typeof value === 'boolean' ? Number(value) : value, labels);
        }
      }
      this.removeSeries(observed, seen);
    }
  }

  /** Removes the series of every origin of `observed` not in `keep`. */
  private removeSeries(observed: Observed, keep: ReadonlySet<string>): void {
    for (const [origin, labels] of observed.labels) {
      if (keep.has(origin)) continue;
      for (const field of FIELDS) this.gauges[field].remove(labels);
      observed.labels.delete(origin);
    }
  }
}

/** The stats of a dispatcher as [origin, stats] pairs, checked; throws on anything malformed. */
function readStats(dispatcher: ObservableDispatcher): [string, DispatcherStats][] {
  const stats: unknown = dispatcher.stats;
  if (typeof stats !== 'object' || stats === null) throw new TypeError(`stats is ${describeValue(stats)}`);
  const pairs: [string, unknown][] =
    typeof (stats as { size?: unknown }).size === 'number' ? [['', stats]] : Object.entries(stats);
  for (const [origin, entry] of pairs) {
    if (typeof entry !== 'object' || entry === null) {
      throw new TypeError(`stats[${origin}] is ${describeValue(entry)}`);
    }
    for (const field of FIELDS) {
      const value = (entry as Record<string, unknown>)[field];
      const ok =
        value === undefined ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value));
      if (!ok) {
        throw new TypeError(`stats${origin === '' ? '' : `[${origin}]`}.${field} is ${describeValue(value)}`);
      }
    }
  }
  return pairs as [string, DispatcherStats][];
}
