import type { FamilySnapshot, HistogramFamilySnapshot, MetricsSnapshot } from '../snapshot.js';
import type { Labels } from '../types.js';
import { ByteWriter } from './byte-writer.js';
import { formatValue, renderLabels } from './text-common.js';

/** What differs between the two text formats. */
export interface TextDialect {
  /** Metadata lines (HELP, TYPE, UNIT) of a family, each ending in a line feed. */
  header(family: FamilySnapshot): string;
  /** Text after the last family. */
  readonly trailer: string;
}

const encoder = new TextEncoder();
const NEWLINE = 10;
const SPACE = 32;
const OPEN = encoder.encode('{');
const CLOSE_SPACE = encoder.encode('} ');

/** Label sets are frozen and shared by their series: each is rendered and encoded once. */
const encodedLabels = new WeakMap<Labels, Uint8Array>();

function labelBytes(labels: Labels): Uint8Array {
  let bytes = encodedLabels.get(labels);
  if (bytes === undefined) {
    bytes = encoder.encode(renderLabels(labels));
    encodedLabels.set(labels, bytes);
  }
  return bytes;
}

/** `name_bucket{labels` bytes per histogram family and label set, built once. */
const bucketPrefixCache = new Map<string, WeakMap<Labels, Uint8Array>>();

function bucketPrefixes(family: string): WeakMap<Labels, Uint8Array> {
  let prefixes = bucketPrefixCache.get(family);
  if (prefixes === undefined) {
    prefixes = new WeakMap();
    bucketPrefixCache.set(family, prefixes);
  }
  return prefixes;
}

/**
 * Size of the last text written, in bytes: the next scrape of the same registry is about as
 * large, so its buffer starts there (one eighth more) instead of growing to it by doubling.
 */
let lastSize = 0;

/** Writes a snapshot in one text dialect, as UTF-8 bytes. Samples are identical in both formats. */
export function writeText(snapshot: MetricsSnapshot, dialect: TextDialect): Buffer {
  const out = new ByteWriter(lastSize === 0 ? undefined : lastSize + (lastSize >>> 3));
  for (const family of snapshot.families) {
    out.text(dialect.header(family));
    if (family.type === 'histogram') {
      writeHistogram(out, family);
      continue;
    }
    const sample = encoder.encode(family.type === 'counter' ? `${family.name}_total` : family.name);
    for (const series of family.series) {
      out.bytes(sample);
      const labels = labelBytes(series.labels);
      if (labels.length > 0) {
        out.bytes(OPEN);
        out.bytes(labels);
        out.bytes(CLOSE_SPACE);
      } else {
        out.byte(SPACE);
      }
      out.number(series.value);
      out.byte(NEWLINE);
    }
  }
  out.text(dialect.trailer);
  const bytes = out.finish();
  lastSize = bytes.length;
  return bytes;
}

function writeHistogram(out: ByteWriter, family: HistogramFamilySnapshot): void {
  const name = family.name;
  const bucket = encoder.encode(`${name}_bucket{`);
  const prefixes = bucketPrefixes(name);
  const sum = encoder.encode(`${name}_sum`);
  const count = encoder.encode(`${name}_count`);
  // `le="0.5"} ` for each bound and +Inf, with and without a leading comma, built once per family.
  const le = [...family.bounds.map((bound) => `le="${formatValue(bound)}"} `), 'le="+Inf"} '];
  const leAlone = le.map((part) => encoder.encode(part));
  const leAfterLabels = le.map((part) => encoder.encode(`,${part}`));
  for (const series of family.series) {
    const labels = labelBytes(series.labels);
    const withLabels = labels.length > 0;
    let prefix = withLabels ? prefixes.get(series.labels) : undefined;
    if (withLabels && prefix === undefined) {
      prefix = new Uint8Array(bucket.length + labels.length);
      prefix.set(bucket);
      prefix.set(labels, bucket.length);
      prefixes.set(series.labels, prefix);
    }
    const counts = series.bucketCounts;
    let cumulative = 0;
    for (let i = 0; i < leAlone.length; i++) {
      cumulative += counts[i]!;
      if (withLabels) {
        out.bytes(prefix!);
        out.bytes(leAfterLabels[i]!);
      } else {
        out.bytes(bucket);
        out.bytes(leAlone[i]!);
      }
      out.number(cumulative);
      out.byte(NEWLINE);
    }
    for (const [suffix, value] of [
      [sum, series.sum],
      [count, series.count],
    ] as const) {
      out.bytes(suffix);
      if (withLabels) {
        out.bytes(OPEN);
        out.bytes(labels);
        out.bytes(CLOSE_SPACE);
      } else {
        out.byte(SPACE);
      }
      out.number(value);
      out.byte(NEWLINE);
    }
  }
}
