import {
  type FamilySnapshot,
  formatValue,
  type HistogramFamilySnapshot,
  type Labels,
  type MetricsSnapshot,
} from '@fw0/metrics-core';
import { ProtoWriter } from '../protobuf/proto-writer.js';
import { encodeLabels, encodeMetadataEntry, sampleTail, writeSeries } from './wire-format.js';

/** The samples of one snapshot, encoded as `WriteRequest.timeseries` entries ready to send. */
export interface EncodedBatch {
  /** Concatenated entries: each is field 1 of a `WriteRequest` holding one `TimeSeries`. */
  readonly bytes: Uint8Array;
  /** Start of each entry in `bytes`, plus the end of the last: `samples + 1` offsets. */
  readonly offsets: Uint32Array;
  /** Number of samples (one per time series). */
  readonly samples: number;
  /** Time of the samples: milliseconds since the Unix epoch. */
  readonly timestamp: number;
}

/** Encoded label blocks of one family, by the (frozen, shared) label set of each series. */
interface FamilyCache {
  readonly bounds: readonly number[] | undefined;
  /** Counters and gauges: one block; histograms: one per bucket (+Inf included), then sum, count. */
  readonly blocks: WeakMap<Labels, Uint8Array | Uint8Array[]>;
}

/**
 * Turns registry snapshots into remote-write time series named exactly as the text exposition
 * names them: counters `<name>_total`, gauges `<name>`, histograms `<name>_bucket{le}`
 * (cumulative, `+Inf` last), `<name>_sum` and `<name>_count`. Each series carries `__name__`, its
 * own labels and the external labels (a series' own label wins over an external one of the same
 * name), sorted by name as remote-write requires; labels with an empty value are left out (in
 * Prometheus an empty label is no label).
 *
 * The label part of every series is encoded once and cached by its label set (core hands out
 * one frozen object per series), so a push writes only the samples.
 */
export class SeriesEncoder {
  private readonly external: readonly [string, string][];
  private readonly families = new Map<string, FamilyCache>();
  private readonly metadataCache = new Map<string, Uint8Array>();
  private readonly writer = new ProtoWriter(256 * 1024);
  /** Where label blocks are built before being copied out to their exact size. */
  private readonly scratch = new ProtoWriter(4096);

  /** `externalLabels`: already validated names and values. */
  constructor(externalLabels: Readonly<Record<string, string>> = {}) {
    this.external = Object.entries(externalLabels).filter(([, value]) => value !== '');
  }

  /** Number of samples `snapshot` turns into. */
  static sampleCount(snapshot: MetricsSnapshot): number {
    let count = 0;
    for (const family of snapshot.families) {
      count +=
        family.type === 'histogram'
          ? family.series.length * (family.bounds.length + 3)
          : family.series.length;
    }
    return count;
  }

  /** Encodes every series of `snapshot` with one sample at `snapshot.timestamp`. */
  encode(snapshot: MetricsSnapshot): EncodedBatch {
    const samples = SeriesEncoder.sampleCount(snapshot);
    const offsets = new Uint32Array(samples + 1);
    const timestamp = Math.max(0, Math.round(snapshot.timestamp));
    const out = this.writer;
    out.length = 0;
    const sample = sampleTail(timestamp);
    let index = 0;
    for (const family of snapshot.families) {
      const cache = this.familyCache(family);
      if (family.type === 'histogram') {
        for (const series of family.series) {
          const blocks = this.histogramBlocks(cache, family, series.labels);
          const counts = series.bucketCounts;
          let cumulative = 0;
          for (let i = 0; i < counts.length; i++) {
            cumulative += counts[i]!;
            offsets[index++] = out.length;
            writeSeries(out, blocks[i]!, cumulative, sample);
          }
          offsets[index++] = out.length;
          writeSeries(out, blocks[counts.length]!, series.sum, sample);
          offsets[index++] = out.length;
          writeSeries(out, blocks[counts.length + 1]!, series.count, sample);
        }
        continue;
      }
      const name = family.type === 'counter' ? `${family.name}_total` : family.name;
      for (const series of family.series) {
        let block = cache.blocks.get(series.labels) as Uint8Array | undefined;
        if (block === undefined) {
          block = this.labelBlock(name, series.labels, undefined);
          cache.blocks.set(series.labels, block);
        }
        offsets[index++] = out.length;
        writeSeries(out, block, series.value, sample);
      }
    }
    offsets[index] = out.length;
    return { bytes: out.finish(), offsets, samples, timestamp };
  }

  /** `WriteRequest.metadata` entries (type, help, unit) for every family of `snapshot`. */
  encodeMetadata(snapshot: MetricsSnapshot): Uint8Array {
    const parts: Uint8Array[] = [];
    for (const family of snapshot.families) {
      const name = family.type === 'counter' ? `${family.name}_total` : family.name;
      const key = `${family.type}\u0000${name}\u0000${family.unit ?? ''}\u0000${family.help}`;
      let entry = this.metadataCache.get(key);
      if (entry === undefined) {
        entry = encodeMetadataEntry(family, name);
        this.metadataCache.set(key, entry);
      }
      parts.push(entry);
    }
    return Buffer.concat(parts);
  }

  private familyCache(family: FamilySnapshot): FamilyCache {
    const key = `${family.type}\u0000${family.name}`;
    const bounds = family.type === 'histogram' ? family.bounds : undefined;
    let cache = this.families.get(key);
    if (cache === undefined || !sameBounds(cache.bounds, bounds)) {
      cache = { bounds, blocks: new WeakMap() };
      this.families.set(key, cache);
    }
    return cache;
  }

  private histogramBlocks(cache: FamilyCache, family: HistogramFamilySnapshot, labels: Labels): Uint8Array[] {
    let blocks = cache.blocks.get(labels) as Uint8Array[] | undefined;
    if (blocks === undefined) {
      blocks = [];
      const bucket = `${family.name}_bucket`;
      for (const bound of family.bounds) blocks.push(this.labelBlock(bucket, labels, formatValue(bound)));
      blocks.push(this.labelBlock(bucket, labels, '+Inf'));
      blocks.push(this.labelBlock(`${family.name}_sum`, labels, undefined));
      blocks.push(this.labelBlock(`${family.name}_count`, labels, undefined));
      cache.blocks.set(labels, blocks);
    }
    return blocks;
  }

  /** The `TimeSeries.labels` fields of one series: sorted by name, `__name__` included. */
  private labelBlock(name: string, labels: Labels, le: string | undefined): Uint8Array {
    const pairs: [string, string][] = [['__name__', name]];
    for (const label in labels) {
      const value = labels[label]!;
      if (value !== '') pairs.push([label, value]);
    }
    if (le !== undefined) pairs.push(['le', le]);
    for (const [label, value] of this.external) {
      if (!labels[label] && !(label === 'le' && le !== undefined)) pairs.push([label, value]);
    }
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return encodeLabels(pairs, this.scratch);
  }
}

function sameBounds(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return a.every((bound, i) => bound === b[i]);
}
