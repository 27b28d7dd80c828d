import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemo, type LoadReport, measureSeries, runLoad } from './load.js';
import { formatLoadReport } from './report.js';

// The CI version of `pnpm load`: the same code, 8 s of wrk.
describe('load: wrk against the /metrics of the busy demo with 10,000 extra series', () => {
  let baseline: Awaited<ReturnType<typeof measureSeries>>;
  let report: LoadReport;

  beforeAll(async () => {
    buildDemo();
    // The same demo without --extra-series, counted after 3 s of its usual workload (the load
    // run counts after about 4.5 s, and again after the load).
    baseline = await measureSeries(0, 3000);
    report = await runLoad({ seconds: 8, connections: 4, extraSeries: 10_000, build: false });
    console.log(`${formatLoadReport(report)}\nwithout --extra-series: ${baseline.exposed} series`);
    console.log(`load report JSON: ${JSON.stringify(report)}`);
  }, 600_000);

  it('served every request: no socket error, no non-2xx response, requests per second above 0', () => {
    expect(report.errors).toBe(0);
    expect(report.wrk.non2xx).toBe(0);
    expect(report.wrk.requests).toBeGreaterThan(0);
    expect(report.wrk.requestsPerSecond).toBeGreaterThan(0);
    expect(report.wrk.durationSeconds).toBeGreaterThanOrEqual(7.5);
    // The demo's handler answered 200 to every request wrk completed (and to our reads).
    expect(report.server.scrapesFailed).toBe(0);
    expect(report.server.scrapesOk).toBeGreaterThanOrEqual(report.wrk.requests);
    expect(report.wrk.latencyMs.p50).toBeGreaterThan(0);
    expect(report.wrk.latencyMs.p50).toBeLessThanOrEqual(report.wrk.latencyMs.p90);
    expect(report.wrk.latencyMs.p90).toBeLessThanOrEqual(report.wrk.latencyMs.p99);
  });

  it('exposes at least 10,000 more series than the demo without the option', () => {
    expect(baseline.extra).toBe(0);
    expect(report.series.extra).toBe(10_000);
    expect(report.series.exposed - baseline.exposed).toBeGreaterThanOrEqual(10_000);
    expect(report.series.exposedAfterLoad - baseline.exposed).toBeGreaterThanOrEqual(10_000);
  });

  it("reads the demo's event loop in one-second windows, idle and under load", () => {
    expect(report.monitorFailures).toBe(0);
    expect(report.eventLoop.idle.windows).toBeGreaterThanOrEqual(1);
    // 8 s of load, windows wholly inside it: from the third second on.
    expect(report.eventLoop.load.windows).toBeGreaterThanOrEqual(3);
    for (const summary of [report.eventLoop.idle, report.eventLoop.load]) {
      expect(summary.p50Ms).toBeGreaterThanOrEqual(0);
      expect(summary.p99Ms).toBeGreaterThanOrEqual(summary.p50Ms);
      expect(summary.maxMs).toBeGreaterThanOrEqual(summary.worstP99Ms);
      expect(summary.utilization).toBeGreaterThan(0);
      expect(summary.utilization).toBeLessThanOrEqual(1);
    }
    // wrk keeps the demo's loop busier than its usual workload does.
    expect(report.eventLoop.load.utilization).toBeGreaterThan(report.eventLoop.idle.utilization);
  });
});
