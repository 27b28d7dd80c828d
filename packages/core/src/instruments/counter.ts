import { describeValue, InvalidValueError } from '../errors.js';
import type { CounterFamilySnapshot } from '../snapshot.js';
import type { Labels, LabelsInput } from '../types.js';
import { type DetachableSeries, ValueInstrument } from './instrument.js';

function invalidIncrement(metric: string, value: unknown): InvalidValueError {
  return new InvalidValueError(
    `Invalid increment ${describeValue(value)} for counter "${metric}": it must be a finite number >= 0 (a counter only goes up)`,
    { subject: metric, value },
  );
}

/** One series of a {@link Counter}; also the bound handle returned by `counter.bind(labels)`. */
export class CounterSeries implements DetachableSeries {
  /** Current total. */
  value = 0;
  /** @internal */
  detached = false;

  constructor(
    readonly labels: Labels,
    private readonly owner: Counter,
  ) {}

  /** Adds `value` (default 1; finite, >= 0). Throws InvalidValueError, leaving the total unchanged. */
  add(value = 1): void {
    if (typeof value !== 'number' || !(value >= 0) || value === Number.POSITIVE_INFINITY) {
      throw invalidIncrement(this.owner.exposedName, value);
    }
    this.value += value;
    if (this.detached) this.owner.reattach(this);
  }

  /** @internal */
  reset(): void {
    this.value = 0;
  }

  /** @internal */
  moveInto(target: CounterSeries): void {
    target.value += this.value;
    this.value = 0;
  }
}

/** A total that only goes up (requests served, bytes sent, errors), per label set. */
export class Counter extends ValueInstrument<CounterSeries> {
  readonly type = 'counter' as const;

  /** @internal */
  createSeries(labels: Labels): CounterSeries {
    return new CounterSeries(labels, this);
  }

  /**
   * Adds `value` (default 1) to the series of `labels`. Throws InvalidValueError for NaN,
   * infinite or negative values and InvalidLabelError for bad labels, changing nothing.
   */
  add(value = 1, labels?: LabelsInput): void {
    if (typeof value !== 'number' || !(value >= 0) || value === Number.POSITIVE_INFINITY) {
      throw invalidIncrement(this.exposedName, value);
    }
    const series = this.index.resolve(labels);
    series.value += value;
    // Only the overflow series (and never a series found by labels otherwise) is detached here.
    if (series.detached) this.reattach(series);
  }

  /** @internal */
  snapshot(): CounterFamilySnapshot {
    const series = this.seriesValues();
    return { type: 'counter', name: this.name, help: this.help, unit: this.unit, series };
  }
}
