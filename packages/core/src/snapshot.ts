import type { SketchData } from './sketch/log-sketch.js';
import type { Labels } from './types.js';
import type { Unit } from './units.js';

/** How gauges of the same series combine when snapshots of several processes merge. */
export type GaugeAggregation = 'sum' | 'min' | 'max' | 'last';

/** What every metric family in a snapshot has. */
export interface FamilySnapshotBase {
  /**
   * The family name: what the TYPE line names in OpenMetrics. Counters are named without
   * `_total` (their samples carry it).
   */
  readonly name: string;
  /** Help text ('' if none was given). */
  readonly help: string;
  /** Base unit of the values, if declared (the name ends with its suffix). */
  readonly unit: Unit | undefined;
}

/** One series of a counter or gauge. */
export interface NumberSeriesSnapshot {
  readonly labels: Labels;
  readonly value: number;
}

export interface CounterFamilySnapshot extends FamilySnapshotBase {
  readonly type: 'counter';
  readonly series: readonly NumberSeriesSnapshot[];
}

export interface GaugeFamilySnapshot extends FamilySnapshotBase {
  readonly type: 'gauge';
  /** How this gauge combines across processes in {@link mergeSnapshots}. */
  readonly aggregation: GaugeAggregation;
  readonly series: readonly NumberSeriesSnapshot[];
}

/** One series of a histogram. */
export interface HistogramSeriesSnapshot {
  readonly labels: Labels;
  /** Number of observations. */
  readonly count: number;
  /** Sum of the observations. */
  readonly sum: number;
  /** Observations per `le` bucket, not cumulative; the last entry is the `+Inf` bucket. */
  readonly bucketCounts: readonly number[];
  /**
   * True when at least one observation was below zero (absent otherwise). The sum is then no
   * counter, and OpenMetrics leaves `_sum` out.
   */
  readonly negative?: true;
  /** Every observation since the series began (or was reset), if sketches were asked for. */
  readonly sketch?: SketchData;
  /** Observations of the sliding window (see the family's `windowSeconds`), if asked for. */
  readonly window?: SketchData;
}

export interface HistogramFamilySnapshot extends FamilySnapshotBase {
  readonly type: 'histogram';
  /** Upper bounds of the `le` buckets, increasing, without `+Inf`. */
  readonly bounds: readonly number[];
  /** Relative accuracy of the sketches' quantiles (0.01 = 1%). */
  readonly relativeAccuracy: number;
  /** Length of the sliding window in seconds (0 = no window). */
  readonly windowSeconds: number;
  readonly series: readonly HistogramSeriesSnapshot[];
}

/** One metric family as exporters read it. */
export type FamilySnapshot = CounterFamilySnapshot | GaugeFamilySnapshot | HistogramFamilySnapshot;

/** The state of a registry at one moment: what every exporter reads. */
export interface MetricsSnapshot {
  /** When the snapshot was taken: milliseconds since the Unix epoch. */
  readonly timestamp: number;
  readonly families: readonly FamilySnapshot[];
}
