import { describeValue, InvalidValueError } from '../errors.js';
import type { GaugeAggregation, GaugeFamilySnapshot } from '../snapshot.js';
import type { Labels, LabelsInput } from '../types.js';
import {
  type DetachableSeries,
  type InstrumentContext,
  type InstrumentDefinition,
  ValueInstrument,
} from './instrument.js';

/** Definition of a gauge. */
export interface GaugeDefinition extends InstrumentDefinition {
  /**
   * How the same series of several processes combine when snapshots merge (workers, instances):
   * `sum` (default: memory, connections), `max`, `min`, or `last` (the last snapshot's value).
   */
  readonly aggregation?: GaugeAggregation;
}

function invalidGaugeValue(metric: string, value: unknown): InvalidValueError {
  return new InvalidValueError(
    `Invalid value ${describeValue(value)} for gauge "${metric}": it must be a finite number`,
    {
      subject: metric,
      value,
    },
  );
}

/** One series of a {@link Gauge}; also the bound handle returned by `gauge.bind(labels)`. */
export class GaugeSeries implements DetachableSeries {
  /** Current value. */
  value = 0;
  /** @internal */
  detached = false;

  constructor(
    readonly labels: Labels,
    private readonly owner: Gauge,
  ) {}

  /** Sets the value (finite). Throws InvalidValueError, leaving the value unchanged. */
  set(value: number): void {
    if (typeof value !== 'number' || value - value !== 0) throw invalidGaugeValue(this.owner.name, value);
    this.value = value;
    if (this.detached) this.owner.reattach(this);
  }

  /** Adds `delta` (finite, may be negative; default 1). */
  add(delta = 1): void {
    if (typeof delta !== 'number' || delta - delta !== 0) throw invalidGaugeValue(this.owner.name, delta);
    this.value += delta;
    if (this.detached) this.owner.reattach(this);
  }

  /** @internal */
  reset(): void {
    this.value = 0;
  }

  /** @internal */
  moveInto(target: GaugeSeries): void {
    target.value = this.value;
    this.value = 0;
  }
}

/** A value that goes up and down (memory in use, queue length, temperature), per label set. */
export class Gauge extends ValueInstrument<GaugeSeries> {
  readonly type = 'gauge' as const;
  readonly aggregation: GaugeAggregation;

  constructor(name: string, definition: GaugeDefinition, context: InstrumentContext) {
    super(name, definition, context);
    this.aggregation = definition.aggregation ?? 'sum';
  }

  /** @internal */
  createSeries(labels: Labels): GaugeSeries {
    return new GaugeSeries(labels, this);
  }

  /** Sets the series of `labels` to `value` (finite). Bad input throws and changes nothing. */
  set(value: number, labels?: LabelsInput): void {
    if (typeof value !== 'number' || value - value !== 0) throw invalidGaugeValue(this.name, value);
    const series = this.index.resolve(labels);
    series.value = value;
    // Only the overflow series (and never a series found by labels otherwise) is detached here.
    if (series.detached) this.reattach(series);
  }

  /** Adds `delta` (finite, may be negative) to the series of `labels`. */
  add(delta: number, labels?: LabelsInput): void {
    if (typeof delta !== 'number' || delta - delta !== 0) throw invalidGaugeValue(this.name, delta);
    const series = this.index.resolve(labels);
    series.value += delta;
    if (series.detached) this.reattach(series);
  }

  /** @internal */
  snapshot(): GaugeFamilySnapshot {
    const series = this.seriesValues();
    return {
      type: 'gauge',
      name: this.name,
      help: this.help,
      unit: this.unit,
      aggregation: this.aggregation,
      series,
    };
  }
}
