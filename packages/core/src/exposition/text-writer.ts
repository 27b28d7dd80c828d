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
  /**
   * Leave `_sum` (and with it `_count`) out of histograms that saw negative observations or have
   * negative bucket bounds: OpenMetrics 1.0 requires it (the sum is then no counter).
   */
  readonly sumMustBeCounter: boolean;
}

const encoder = new TextEncoder();
const SPACE_ONLY = encoder.encode(' ');
const EMPTY = new Uint8Array(0);

/**
 * Label sets are frozen and shared by their series: each is rendered and encoded once, as the
 * block that follows a sample name up to the value (`{a="x",b="y"} `, or a space without labels).
 */
const encodedLabels = new WeakMap<Labels, Uint8Array>();

function labelBlock(labels: Labels): Uint8Array {
  let bytes = encodedLabels.get(labels);
  if (bytes === undefined) {
    const inside = renderLabels(labels);
    bytes = inside === '' ? SPACE_ONLY : encoder.encode(`{${inside}} `);
    encodedLabels.set(labels, bytes);
  }
  return bytes;
}

/** `name_bucket{labels` bytes per histogram family and label set, built once. */
const bucketPrefixCache = new Map<string, WeakMap<Labels, Uint8Array>>();
/**
 * Most family names the cache keeps. Entries of families that are gone stay until then (their
 * label sets are weakly held, so only the name and an empty map remain); past it the cache
 * starts afresh, so a process that creates ever new histogram names stays bounded.
 */
const MAX_CACHED_FAMILIES = 4096;

/** @internal Family names in the bucket prefix cache (for tests). */
export function bucketPrefixCacheSize(): number {
  return bucketPrefixCache.size;
}

function bucketPrefixes(family: string): WeakMap<Labels, Uint8Array> {
  let prefixes = bucketPrefixCache.get(family);
  if (prefixes === undefined) {
    if (bucketPrefixCache.size >= MAX_CACHED_FAMILIES) bucketPrefixCache.clear();
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
      writeHistogram(out, family, dialect);
      continue;
    }
    const sample = encoder.encode(family.type === 'counter' ? `${family.name}_total` : family.name);
    for (const series of family.series) out.line(sample, labelBlock(series.labels), series.value);
  }
  out.text(dialect.trailer);
  const bytes = out.finish();
  lastSize = bytes.length;
  return bytes;
}

function writeHistogram(out: ByteWriter, family: HistogramFamilySnapshot, dialect: TextDialect): void {
  const name = family.name;
  const bucket = encoder.encode(`${name}_bucket{`);
  const prefixes = bucketPrefixes(name);
  const sum = encoder.encode(`${name}_sum`);
  const count = encoder.encode(`${name}_count`);
  // `le="0.5"} ` for each bound and +Inf, with and without a leading comma, built once per family.
  const le = [...family.bounds.map((bound) => `le="${formatValue(bound)}"} `), 'le="+Inf"} '];
  const leAlone = le.map((part) => encoder.encode(part));
  const leAfterLabels = le.map((part) => encoder.encode(`,${part}`));
  const negativeBounds = family.bounds.length > 0 && family.bounds[0]! < 0;
  for (const series of family.series) {
    const block = labelBlock(series.labels);
    // `name_bucket{labels` (the label block without its closing `} `), then `,le="..."} `; without
    // labels, `name_bucket{` then `le="..."} `.
    let head: Uint8Array = bucket;
    let tails = leAlone;
    if (block !== SPACE_ONLY) {
      tails = leAfterLabels;
      head = prefixes.get(series.labels) ?? EMPTY;
      if (head === EMPTY) {
        head = new Uint8Array(bucket.length + block.length - 3);
        head.set(bucket);
        head.set(block.subarray(1, block.length - 2), bucket.length);
        prefixes.set(series.labels, head);
      }
    }
    const counts = series.bucketCounts;
    let cumulative = 0;
    for (let i = 0; i < tails.length; i++) {
      cumulative += counts[i]!;
      out.line(head, tails[i]!, cumulative);
    }
    // OpenMetrics has `_count` if and only if `_sum`, and no `_sum` when it can decrease: both go
    // (the `+Inf` bucket still carries the count).
    if (!(dialect.sumMustBeCounter && (negativeBounds || series.negative === true))) {
      out.line(sum, block, series.sum);
      out.line(count, block, series.count);
    }
  }
}
