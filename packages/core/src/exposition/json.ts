import { type DistributionSummary, sketchFromData, summarizeCounts } from '../sketch/log-sketch.js';
import type { GaugeAggregation, MetricsSnapshot } from '../snapshot.js';
import type { Labels } from '../types.js';

/** Content type of the JSON exposition. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A summary in JSON: statistics of an empty distribution are `null`. */
export type JsonSummary = { readonly [K in keyof DistributionSummary]: number | null };

/** One series of the JSON exposition. */
export interface JsonSeries {
  readonly labels: Labels;
  /** Counter or gauge value. */
  readonly value?: number;
  /** Histogram observations. */
  readonly count?: number;
  readonly sum?: number;
  /** Cumulative bucket counts, `le` as a number or `"+Inf"`. */
  readonly buckets?: readonly { readonly le: number | '+Inf'; readonly count: number }[];
  /** Quantiles of every observation (present when the snapshot carried sketches). */
  readonly summary?: JsonSummary;
  /** Quantiles of the sliding window. */
  readonly window?: JsonSummary;
}

/** One metric family of the JSON exposition. */
export interface JsonFamily {
  /** Family name; counters' samples are `name_total` in the text formats. */
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly help: string;
  readonly unit: string | null;
  readonly aggregation?: GaugeAggregation;
  readonly windowSeconds?: number;
  readonly series: readonly JsonSeries[];
}

/** The JSON exposition document. */
export interface JsonExposition {
  /** Milliseconds since the Unix epoch. */
  readonly timestamp: number;
  readonly metrics: readonly JsonFamily[];
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function jsonSummary(summary: DistributionSummary): JsonSummary {
  const out: Record<string, number | null> = {};
  for (const key in summary) out[key] = finiteOrNull(summary[key as keyof DistributionSummary]);
  return out as JsonSummary;
}

/** The snapshot as a plain JSON-ready object, with quantile summaries of histograms. */
export function toJsonExposition(snapshot: MetricsSnapshot): JsonExposition {
  const metrics: JsonFamily[] = snapshot.families.map((family) => {
    const base = { name: family.name, type: family.type, help: family.help, unit: family.unit ?? null };
    if (family.type === 'counter') {
      return { ...base, series: family.series.map((s) => ({ labels: s.labels, value: s.value })) };
    }
    if (family.type === 'gauge') {
      return {
        ...base,
        aggregation: family.aggregation,
        series: family.series.map((s) => ({ labels: s.labels, value: s.value })),
      };
    }
    return {
      ...base,
      windowSeconds: family.windowSeconds,
      series: family.series.map((series) => {
        let cumulative = 0;
        const buckets = series.bucketCounts.map((count, i) => {
          cumulative += count;
          return { le: i < family.bounds.length ? family.bounds[i]! : ('+Inf' as const), count: cumulative };
        });
        const out: { -readonly [K in keyof JsonSeries]: JsonSeries[K] } = {
          labels: series.labels,
          count: series.count,
          sum: series.sum,
          buckets,
        };
        if (series.sketch) out.summary = jsonSummary(summarizeCounts(sketchFromData(series.sketch)));
        if (series.window) out.window = jsonSummary(summarizeCounts(sketchFromData(series.window)));
        return out;
      }),
    };
  });
  return { timestamp: snapshot.timestamp, metrics };
}

/** The snapshot as JSON text (see {@link toJsonExposition}). */
export function serializeJson(snapshot: MetricsSnapshot): string {
  return JSON.stringify(toJsonExposition(snapshot));
}
