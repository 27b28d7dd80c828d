import type { Labels, LabelsInput } from '../types.js';
import { normalizeLabelValue, validateLabelName } from '../validation.js';

/** Label set of the one series that takes every label set past a metric's series limit. */
export const OVERFLOW_LABELS: Labels = Object.freeze({ fw0_overflow: 'true' });
/** Label names no user series may use. */
export const RESERVED_LABELS: readonly string[] = Object.freeze(['fw0_overflow']);

/** What every series of an instrument has. */
export interface SeriesBase {
  /** The series' canonical label set: frozen, keys sorted. */
  readonly labels: Labels;
}

/** How a {@link SeriesIndex} creates series and reports overflow. */
export interface SeriesFactory<S extends SeriesBase> {
  /** The name to show in errors. */
  readonly exposedName: string;
  readonly maxSeries: number;
  readonly reservedLabels: readonly string[];
  createSeries(labels: Labels): S;
  /**
   * Creates the overflow series. Every record made through it, by a labelled call or a bound
   * handle, must be counted with {@link onOverflow}: the index only hands the series out.
   */
  createOverflowSeries(): S;
  /** Called for every record that went to the overflow series. */
  onOverflow(): void;
}

interface TrieNode<S> {
  series: S | undefined;
  /** label name -> label value (as given, before String()) -> next node */
  children: Map<string, Map<unknown, TrieNode<S>>> | undefined;
}

const NO_LABELS: Labels = Object.freeze({});

/**
 * The series of one metric, found by label set.
 *
 * Lookups walk a trie keyed by the caller's own (label name, value) pairs in the object's key
 * order: no sorting, no string building, no allocation once a label set was seen. A miss
 * validates and canonicalises the label set (sorted names, string values), finds or creates the
 * series, and remembers the caller's path to it. The trie is only a cache: it is dropped and
 * rebuilt when it outgrows four paths per series, so memory stays bounded.
 *
 * Past `maxSeries` distinct label sets, records go to one overflow series
 * (`{fw0_overflow="true"}`) and the factory is told of each record, so memory is bounded whatever
 * the label cardinality and nothing is lost silently. Handing out the overflow series counts
 * nothing (binding a handle is not a record): the overflow series counts the records made
 * through it (see `Instrument.createOverflowSeries`).
 */
export class SeriesIndex<S extends SeriesBase> {
  private readonly canonical = new Map<string, S>();
  private root: TrieNode<S> = { series: undefined, children: undefined };
  private trieNodes = 0;
  private overflowSeries: S | undefined;

  constructor(private readonly factory: SeriesFactory<S>) {}

  /** Number of series, not counting the overflow series. */
  get size(): number {
    return this.canonical.size;
  }

  /**
   * The series without labels, created if new. Much smaller than {@link resolve}: callers on a
   * hot path that know there are no labels keep their inlining budget for the recording itself.
   */
  unlabelled(): S {
    return this.root.series ?? this.resolveSlow(NO_LABELS);
  }

  /** The series for `labels`, created if new (or the overflow series past the limit). */
  resolve(labels: LabelsInput | undefined): S {
    let node = this.root;
    if (labels !== undefined) {
      for (const name in labels) {
        const byValue = node.children?.get(name);
        if (byValue === undefined) return this.resolveSlow(labels);
        const next = byValue.get(labels[name]);
        if (next === undefined) return this.resolveSlow(labels);
        node = next;
      }
    }
    return node.series ?? this.resolveSlow(labels ?? NO_LABELS);
  }

  /** The existing series for `labels`, or undefined; never creates one. */
  find(labels: LabelsInput | undefined): S | undefined {
    return this.canonical.get(this.canonicalize(labels ?? NO_LABELS).key);
  }

  /** Removes the series of `labels`; true if it existed. */
  remove(labels: LabelsInput | undefined): S | undefined {
    const { key } = this.canonicalize(labels ?? NO_LABELS);
    const series = this.canonical.get(key);
    if (series === undefined) return undefined;
    this.canonical.delete(key);
    this.dropTrie();
    return series;
  }

  /**
   * Where a removed series' record goes (a bound handle used again): the series put back, the
   * series recreated meanwhile, or the overflow series when the limit is reached (counted).
   */
  reattach(series: S): S {
    const key = canonicalKey(series.labels);
    const existing = this.canonical.get(key);
    if (existing !== undefined) return existing;
    if (this.canonical.size >= this.factory.maxSeries) return this.overflow(true);
    this.canonical.set(key, series);
    return series;
  }

  /** Removes every series, overflow included. */
  clear(): void {
    this.canonical.clear();
    this.overflowSeries = undefined;
    this.dropTrie();
  }

  /** Every series, the overflow series last. */
  *series(): IterableIterator<S> {
    yield* this.canonical.values();
    if (this.overflowSeries !== undefined) yield this.overflowSeries;
  }

  /** Calls `visit` on every series, the overflow series last. */
  forEach(visit: (series: S) => void): void {
    for (const series of this.canonical.values()) visit(series);
    if (this.overflowSeries !== undefined) visit(this.overflowSeries);
  }

  /** The overflow series, if any label set went past the limit. */
  get overflowed(): S | undefined {
    return this.overflowSeries;
  }

  /** The overflow series, created if needed; `record` counts one record sent to it. */
  overflow(record: boolean): S {
    this.overflowSeries ??= this.factory.createOverflowSeries();
    if (record) this.factory.onOverflow();
    return this.overflowSeries;
  }

  private resolveSlow(labels: LabelsInput): S {
    const { key, labels: canonicalLabels } = this.canonicalize(labels);
    let series = this.canonical.get(key);
    if (series === undefined) {
      if (this.canonical.size >= this.factory.maxSeries) return this.overflow(false);
      series = this.factory.createSeries(canonicalLabels);
      this.canonical.set(key, series);
    }
    this.remember(labels, series);
    return series;
  }

  /** Validates a label set; returns its canonical form and key. Throws before any state changes. */
  private canonicalize(labels: LabelsInput): { key: string; labels: Labels } {
    const names: string[] = [];
    for (const name in labels) {
      if (labels[name] !== undefined) names.push(name);
    }
    if (names.length === 0) return { key: '', labels: NO_LABELS };
    names.sort();
    const metric = this.factory.exposedName;
    const canonical: Record<string, string> = {};
    for (const name of names) {
      validateLabelName(metric, name, this.factory.reservedLabels);
      canonical[name] = normalizeLabelValue(metric, name, labels[name]);
    }
    return { key: canonicalKey(canonical), labels: Object.freeze(canonical) };
  }

  private remember(labels: LabelsInput, series: S): void {
    if (this.trieNodes > 4 * this.factory.maxSeries + 64) this.dropTrie();
    let node = this.root;
    for (const name in labels) {
      let children = node.children;
      if (children === undefined) children = node.children = new Map();
      let byValue = children.get(name);
      if (byValue === undefined) children.set(name, (byValue = new Map()));
      const value = labels[name];
      let next = byValue.get(value);
      if (next === undefined) {
        next = { series: undefined, children: undefined };
        byValue.set(value, next);
        this.trieNodes++;
      }
      node = next;
    }
    node.series = series;
  }

  private dropTrie(): void {
    this.root = { series: undefined, children: undefined };
    this.trieNodes = 0;
  }
}

/** Unambiguous key of a label set (names sorted, so any key order gives the same key). */
export function canonicalKey(labels: Labels): string {
  let key = '';
  for (const name of Object.keys(labels).sort()) key += `${name}\u0000${JSON.stringify(labels[name])}`;
  return key;
}
