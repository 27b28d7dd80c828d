import {
  type MetricsRegistry,
  type ParsedSample,
  parseExposition,
  serializePrometheus,
} from '@fw0/metrics-core';

/** Every sample of a Prometheus text, keyed by `name{label="value",...}` (labels sorted). */
export type SampleIndex = Map<string, number>;

/** The key of a sample in a {@link SampleIndex}. */
export function sampleKey(name: string, labels: Readonly<Record<string, string>> = {}): string {
  const parts = Object.keys(labels)
    .sort()
    .map((label) => `${label}=${JSON.stringify(labels[label])}`);
  return `${name}{${parts.join(',')}}`;
}

/** Indexes the samples of an exposition text. */
export function indexSamples(text: string): SampleIndex {
  const index: SampleIndex = new Map();
  for (const family of parseExposition(text).families) {
    for (const sample of family.samples as ParsedSample[])
      index.set(sampleKey(sample.name, sample.labels), sample.value);
  }
  return index;
}

/** The registry's samples as Prometheus would scrape them (no refresh). */
export function scrapeRegistry(registry: MetricsRegistry): SampleIndex {
  return indexSamples(serializePrometheus(registry.snapshot()));
}

/** The label sets of the samples named `name` in an index. */
export function labelSetsOf(index: SampleIndex, name: string): Record<string, string>[] {
  const sets: Record<string, string>[] = [];
  for (const key of index.keys()) {
    if (!key.startsWith(`${name}{`)) continue;
    const inner = key.slice(name.length + 1, -1);
    const labels: Record<string, string> = {};
    for (const match of inner.matchAll(/(\w+)=("(?:[^"\\]|\\.)*")/g))
      labels[match[1]!] = JSON.parse(match[2]!) as string;
    sets.push(labels);
  }
  return sets;
}
