import { formatLoad, formatTable, mib } from '../support/text-table.js';
import type { LoadReport, LoopSummary } from './load.js';

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '-');

function loopRow(label: string, summary: LoopSummary): string[] {
  return [
    label,
    String(summary.windows),
    ms(summary.p50Ms),
    ms(summary.p99Ms),
    ms(summary.worstP99Ms),
    ms(summary.maxMs),
    Number.isFinite(summary.utilization) ? `${(summary.utilization * 100).toFixed(1)}%` : '-',
  ];
}

/** The human report of a load run: the figures, then the demo's event loop idle and under load. */
export function formatLoadReport(report: LoadReport): string {
  const { wrk } = report;
  const figures = formatTable(
    ['figure', 'value'],
    [
      ['series exposed (one scrape)', String(report.series.exposed)],
      ['  of which demo_extra_series', String(report.series.extra)],
      ['scrape size', `${mib(report.series.scrapeBytes, 2)} MiB`],
      ['requests', String(wrk.requests)],
      ['requests per second', wrk.requestsPerSecond.toFixed(1)],
      ['latency p50', `${ms(wrk.latencyMs.p50)} ms`],
      ['latency p90', `${ms(wrk.latencyMs.p90)} ms`],
      ['latency p99', `${ms(wrk.latencyMs.p99)} ms`],
      ['latency max', `${ms(wrk.latencyMs.max)} ms`],
      ['transfer', `${mib(wrk.transferBytesPerSecond)} MiB/s`],
      [
        'errors (socket + non-2xx)',
        `${report.errors} (connect ${wrk.socketErrors.connect}, read ${wrk.socketErrors.read}, write ${wrk.socketErrors.write}, timeout ${wrk.socketErrors.timeout}, non-2xx ${wrk.non2xx})`,
      ],
      ['scrapes the demo counted (200)', String(report.server.scrapesOk)],
      ['scrapes the demo failed', String(report.server.scrapesFailed)],
      ['server time per scrape (mean)', `${ms(report.server.meanScrapeMs)} ms`],
      ['demo GC pauses during the load', `${report.gc.pauses} (${ms(report.gc.totalMs)} ms in all)`],
      [
        'demo RSS after / peak',
        `${report.demoMemory.rssBytes === undefined ? '-' : mib(report.demoMemory.rssBytes)} / ${report.demoMemory.peakRssBytes === undefined ? '-' : mib(report.demoMemory.peakRssBytes)} MiB`,
      ],
      ['failed reads of the demo figures', String(report.monitorFailures)],
      [
        'load average before / after',
        `${formatLoad(report.loadAverage.before)} / ${formatLoad(report.loadAverage.after)}`,
      ],
    ],
  );
  const loop = formatTable(
    ['demo event loop (1 s windows)', 'windows', 'p50 ms', 'p99 ms', 'worst p99 ms', 'max ms', 'busy'],
    [loopRow('idle (usual workload)', report.eventLoop.idle), loopRow('under load', report.eventLoop.load)],
  );
  return [
    `fw0 load: ${wrk.command}`,
    `demo: node apps/demo/dist/main.js --extra-series ${report.extraSeries} --no-live (usual workload), ${report.url}`,
    '',
    figures,
    '',
    loop,
    '(p50/p99: medians across windows; worst p99 and max: the worst window; busy: event-loop utilisation)',
  ].join('\n');
}
