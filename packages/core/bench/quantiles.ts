import { DDSketch } from '@datadog/sketches-js';
import * as hdr from 'hdr-histogram-js';
import {
  BATCH,
  nsPerBatchedOp,
  printComparison,
  settledHeap,
  type Targets,
} from '../../../bench-support/harness.js';
import { exactQuantile, lognormalSamples } from '../../../test-support/random.js';
import { MetricsRegistry } from '../src/index.js';

const SAMPLES = 1_000_000;
const SERIES_FOR_MEMORY = 32;
const QUANTILES = [0.5, 0.9, 0.99, 0.999] as const;

interface Candidate {
  readonly name: string;
  /** A fresh per-series structure. */
  create(): unknown;
  add(target: unknown, value: number): void;
  quantile(target: unknown, q: number): number;
}

/** Quantile accuracy, observe cost and memory per series on 1,000,000 lognormal samples. */
export async function benchQuantiles(targets: Targets): Promise<void> {
  // Latency-like: median 50 ms, sigma 1.2 (spans about six decades over a million samples).
  const samples = lognormalSamples(SAMPLES, Math.log(0.05), 1.2, 11);
  const sorted = samples.slice().sort();
  const registry = new MetricsRegistry();
  let nextId = 0;
  const candidates: Candidate[] = [
    {
      name: 'fw0 histogram series (sketch 1% + le buckets + 60 s window)',
      create: () => registry.histogram({ name: `q_${nextId++}_seconds`, unit: 'seconds' }).bind(),
      add: (series, value) => (series as { observe(v: number): void }).observe(value),
      quantile: (series, q) => (series as { quantile(q: number): number }).quantile(q),
    },
    {
      name: '@datadog/sketches-js DDSketch 1%',
      create: () => new DDSketch({ relativeAccuracy: 0.01 }),
      add: (sketch, value) => (sketch as DDSketch).accept(value),
      quantile: (sketch, q) => (sketch as DDSketch).getValueAtQuantile(q) ?? Number.NaN,
    },
    {
      name: 'hdr-histogram-js (2 significant digits, microseconds)',
      create: () =>
        hdr.build({
          lowestDiscernibleValue: 1,
          highestTrackableValue: 3_600_000_000,
          numberOfSignificantValueDigits: 2,
        }),
      add: (histogram, value) =>
        (histogram as hdr.Histogram).recordValue(Math.max(1, Math.round(value * 1e6))),
      quantile: (histogram, q) => (histogram as hdr.Histogram).getValueAtPercentile(q * 100) / 1e6,
    },
  ];

  const accuracyRows: { name: string; errors: number[]; bytes: number; addNs: number }[] = [];
  for (const candidate of candidates) {
    const single = candidate.create();
    for (const value of samples) candidate.add(single, value);
    const errors = QUANTILES.map(
      (q) => Math.abs(candidate.quantile(single, q) - exactQuantile(sorted, q)) / exactQuantile(sorted, q),
    );
    // Memory: heap growth of SERIES_FOR_MEMORY series, each fed the full million.
    const before = settledHeap();
    const kept: unknown[] = [];
    for (let s = 0; s < SERIES_FOR_MEMORY; s++) {
      const target = candidate.create();
      for (const value of samples) candidate.add(target, value);
      kept.push(target);
    }
    const bytes = (settledHeap() - before) / SERIES_FOR_MEMORY;
    const addNs = await nsPerBatchedOp(() => {
      for (let j = 0; j < BATCH; j++) candidate.add(single, samples[j]!);
    });
    accuracyRows.push({ name: candidate.name, errors, bytes, addNs });
    if (kept.length !== SERIES_FOR_MEMORY) throw new Error('unreachable');
  }

  console.log(
    '\n### Quantile relative error on 1,000,000 lognormal samples (against exact sorted quantiles)\n',
  );
  console.log(
    `| structure | ${QUANTILES.map((q) => `p${q * 100}`).join(' | ')} | bytes/series | add ns/op |`,
  );
  console.log(`|---|${QUANTILES.map(() => '---').join('|')}|---|---|`);
  for (const row of accuracyRows) {
    console.log(
      `| ${row.name} | ${row.errors.map((error) => `${(error * 100).toFixed(3)}%`).join(' | ')} | ${row.bytes.toFixed(0)} | ${row.addNs.toFixed(1)} |`,
    );
  }
  const ours = accuracyRows[0]!;
  printComparison('Per-series cost of quantile structures (ratio = other / fw0)', 'ns', [
    {
      name: 'add one value',
      ours: ours.addNs,
      anchors: Object.fromEntries(accuracyRows.slice(1).map((row) => [row.name, row.addNs])),
    },
  ]);
  const worst = Math.max(...ours.errors);
  targets.check(
    'quantile relative error <= 1% at p50, p90, p99, p99.9 (1M lognormal)',
    worst <= 0.01,
    `worst ${(worst * 100).toFixed(3)}%`,
  );
  targets.check(
    'at most 16 KiB per histogram series',
    ours.bytes <= 16 * 1024,
    `${(ours.bytes / 1024).toFixed(2)} KiB`,
  );
}
