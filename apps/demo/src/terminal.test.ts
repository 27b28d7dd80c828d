import { describe, expect, it } from 'vitest';
import type { DashboardFrame } from './frame-types.js';
import { finalReport, liveLine, progressBar } from './terminal.js';

/** A frame with the given parts, the rest empty. */
function frame(parts: Partial<DashboardFrame> = {}): DashboardFrame {
  return {
    t: 0,
    cpu: { overall: null, cores: [] },
    memory: { usedBytes: null, availableBytes: null, totalBytes: null, swapUsedBytes: null },
    disk: { readBytesPerSecond: null, writeBytesPerSecond: null },
    network: { receiveBytesPerSecond: null, transmitBytesPerSecond: null },
    timers: [],
    probes: [],
    business: [],
    gauges: [],
    runtime: { eventLoopP99Seconds: null, utilization: null, heapUsedBytes: null },
    ...parts,
  };
}

const probe = (target: string, success: boolean): DashboardFrame['probes'][number] => ({
  target,
  kind: 'http',
  success,
  successRatio: success ? 1 : 0,
  durationSeconds: 0.002,
  phases: {},
});

describe('liveLine: the live terminal summary', () => {
  it('shows CPU, memory, the slowest timer by p99, probes up and the event-loop p99', () => {
    const line = liveLine(
      frame({
        cpu: { overall: 12.345, cores: [10, 14.7] },
        memory: { usedBytes: 1.5 * 2 ** 30, availableBytes: null, totalBytes: null, swapUsedBytes: null },
        timers: [
          { name: 'shop_checkout', p50: 0.004, p99: 0.012_345, count: 90 },
          { name: 'shop_fetch_prices', p50: 0.003, p99: 0.250_5, count: 10 },
          { name: 'demo_shop_price_cart', p50: 0.000_1, p99: 0.000_2, count: 95 },
        ],
        probes: [probe('a', true), probe('b', false), probe('c', true)],
        runtime: { eventLoopP99Seconds: 0.000_25, utilization: 0.1, heapUsedBytes: 1 },
      }),
    );
    expect(line).toBe(
      'cpu 12.3% | mem 1.50 GiB | shop_fetch_prices p99 250.50 ms | probes 2/3 up | loop p99 0.25 ms',
    );
  });

  it('says what is not known yet instead of printing NaN or null', () => {
    expect(liveLine(frame())).toBe('cpu - | mem - | no timers yet | probes 0/0 up | loop p99 -');
  });
});

describe('progressBar', () => {
  it('fills with the elapsed share, clamped to the run', () => {
    expect(progressBar(0, 5)).toBe(`[${' '.repeat(30)}]   0% 0/5 s`);
    expect(progressBar(2, 5)).toBe(`[${'='.repeat(11)}>${' '.repeat(18)}]  40% 2/5 s`);
    expect(progressBar(9, 5)).toBe(`[${'='.repeat(29)}>] 100% 5/5 s`);
  });
});

describe('finalReport', () => {
  it('lists timers by calls, probes with success rates, and the host', () => {
    const report = finalReport(
      frame({
        cpu: { overall: 50, cores: [40, 60] },
        memory: { usedBytes: 2 ** 30, availableBytes: null, totalBytes: 4 * 2 ** 30, swapUsedBytes: null },
        timers: [
          { name: 'few', p50: 0.001, p99: 0.002, count: 1 },
          { name: 'many', p50: 0.003, p99: 0.004, count: 7 },
        ],
        probes: [{ ...probe('http://127.0.0.1:1/health', true), successRatio: 0.5 }],
      }),
      5.04,
    );
    const lines = report.split('\n');
    expect(lines[0]).toBe('fw0 demo report (5.0 s)');
    expect(lines.findIndex((line) => line.includes('many'))).toBeLessThan(
      lines.findIndex((line) => line.includes('few')),
    );
    expect(report).toMatch(/many +calls +7 +p50 +3\.00 ms +p99 +4\.00 ms/);
    expect(report).toMatch(/http http:\/\/127\.0\.0\.1:1\/health +success +50\.0% +last 2\.00 ms/);
    expect(report).toContain('cpu 50.0% over 2 cores, memory used 1.00 GiB of 4.00 GiB');
  });

  it('says when no frame was produced', () => {
    expect(finalReport(undefined, 1.2)).toBe('fw0 demo report: no frame was produced in 1.2 s');
  });
});
