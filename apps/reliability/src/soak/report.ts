import { formatLoad, formatTable, mib, signedMib } from '../support/text-table.js';
import type { Growth } from './analysis.js';
import type { SoakReport, SoakSample } from './soak.js';

/** The header of the sample table and one row per sample (also printed live, row by row). */
export const SAMPLE_HEADERS = [
  't s',
  'heap MiB',
  'rss MiB',
  'external MiB',
  'series',
  'scrapes',
  'timed calls',
  'errors',
];

export function sampleRow(sample: SoakSample): string[] {
  return [
    sample.t.toFixed(1),
    mib(sample.heapUsed, 2),
    mib(sample.rss, 1),
    mib(sample.external, 2),
    String(sample.series),
    String(sample.scrapes),
    String(sample.timedCalls),
    String(sample.errors),
  ];
}

function growthRow(label: string, growth: Growth, bound: string): string[] {
  return [
    label,
    mib(growth.start, 2),
    mib(growth.end, 2),
    signedMib(growth.growth),
    `${(growth.ratio * 100).toFixed(1)}%`,
    signedMib(growth.slopePerMinute, 3),
    signedMib(growth.peakAboveStart),
    bound,
  ];
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '-');

/** The human report: every sample, memory growth after warm-up against the bounds, errors, work done. */
export function formatSoakReport(report: SoakReport): string {
  const { memory, bounds, work, errors } = report;
  const samples = formatTable(SAMPLE_HEADERS, report.samples.map(sampleRow));
  const growth = formatTable(
    ['after warm-up', 'start MiB', 'end MiB', 'growth MiB', 'growth %', 'slope MiB/min', 'peak MiB', 'bound'],
    [
      growthRow(
        'heap used (after gc)',
        memory.heapUsed,
        `< ${mib(bounds.heapGrowthBytes, 0)} MiB and < ${bounds.heapGrowthRatio * 100}%`,
      ),
      growthRow('rss', memory.rss, `< ${mib(bounds.rssGrowthBytes, 0)} MiB`),
      growthRow('external', memory.external, '-'),
    ],
  );
  const errorTable = formatTable(
    ['errors', 'count'],
    Object.entries(errors).map(([name, value]) => [name, String(value)]),
  );
  const workTable = formatTable(
    ['work', 'count'],
    [
      ['timed calls (app.timed)', String(work.timedCalls)],
      ['  deliberate outcome="error" calls', String(work.deliberateFailures)],
      ['tracker scopes (using)', String(work.trackerScopes)],
      ['custom records', String(work.customRecords)],
      ['HTTP calls through the observed Agent', String(work.quoteRequests)],
      ['scrapes (1 a second)', String(work.scrapes)],
      ['series first / last scrape', `${work.seriesFirst} / ${work.seriesLast}`],
      ['last scrape size', `${mib(work.scrapeBytes, 2)} MiB`],
      ['samples drained', String(work.samplesDrained)],
      ['probe attempts / successes', `${work.probeAttempts} / ${work.probeSuccesses}`],
      ...Object.entries(work.taskRuns).map(([task, runs]) => [`task ${task} runs`, String(runs)]),
      ['task overruns (skipped ticks)', String(report.notes.taskOverruns)],
      ['samples dropped (full buffers)', String(report.notes.samplesDropped)],
      [
        'event-loop delay p99 median / worst, max',
        `${ms(report.eventLoop.medianP99Ms)} / ${ms(report.eventLoop.worstP99Ms)} ms, ${ms(report.eventLoop.maxMs)} ms`,
      ],
      [
        'load average start / end',
        `${formatLoad(report.loadAverage.start)} / ${formatLoad(report.loadAverage.end)}`,
      ],
    ],
  );
  return [
    `fw0 soak: ${report.seconds} s (planned ${report.plannedSeconds} s), memory after gc() every ${report.sampleEverySeconds} s, warm-up ${memory.warmupSeconds} s`,
    ...(report.leakedBytes > 0 ? [`SELF-CHECK: ${mib(report.leakedBytes, 2)} MiB retained on purpose`] : []),
    '',
    samples,
    '',
    `memory from ${memory.fromSeconds} s to ${memory.toSeconds} s (${memory.samples} samples; start/end: medians of the first/last 3)`,
    growth,
    '',
    errorTable,
    '',
    workTable,
    '',
    report.ok
      ? 'PASS: no error, no memory growth beyond the bounds'
      : `FAIL:\n- ${report.failures.join('\n- ')}`,
  ].join('\n');
}
