import { ParseError } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../test-support/fixtures.js';
import { type CpuTicks, parseProcStat } from './proc-stat.js';

const MODES: (keyof CpuTicks)[] = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'];

describe('parseProcStat', () => {
  it('reads the cpu lines of a /proc/stat captured on this machine', () => {
    const text = readFixture('captured', 'proc', 'stat');
    const stat = parseProcStat(text);
    const cpuLines = text.split('\n').filter((line) => /^cpu\d+ /.test(line));
    expect(stat.cores.map((core) => core.cpu)).toEqual(cpuLines.map((line) => line.split(' ')[0]!.slice(3)));
    // The kernel sums the per-CPU lines into the first one, a moment earlier: at most a tick apart per CPU.
    for (const mode of MODES) {
      const sum = stat.cores.reduce((total, core) => total + core.ticks[mode], 0);
      expect(Math.abs(stat.total[mode] - sum)).toBeLessThanOrEqual(stat.cores.length);
    }
    const firstCore = cpuLines[0]!.split(/\s+/).slice(1).map(Number);
    expect(stat.cores[0]!.ticks.user).toBe(firstCore[0]);
    expect(stat.cores[0]!.ticks.steal).toBe(firstCore[7]);
    expect(stat.cores[0]!.ticks.guestNice).toBe(firstCore[9]);
  });

  it('reads 126 online CPUs of 128, numbered as the kernel numbers them', () => {
    const stat = parseProcStat(readFixture('many-cpus', 'stat'));
    expect(stat.cores).toHaveLength(126);
    expect(stat.cores.map((core) => core.cpu)).not.toContain('5');
    expect(stat.cores.at(-1)!.cpu).toBe('127');
    for (const mode of MODES) {
      expect(stat.cores.reduce((total, core) => total + core.ticks[mode], 0)).toBe(stat.total[mode]);
    }
  });

  it('reads the missing columns of older kernels as 0', () => {
    const seven = parseProcStat(readFixture('old-kernel', 'stat'));
    expect(seven.total).toMatchObject({ user: 4705, softirq: 11, steal: 0, guest: 0, guestNice: 0 });
    const four = parseProcStat(readFixture('old-kernel', 'stat-2.4'));
    expect(four.total).toMatchObject({ user: 4705, nice: 150, system: 1120, idle: 16250, iowait: 0 });
    expect(four.cores).toHaveLength(1);
  });

  it('throws a ParseError naming the line for a column that is not a number', () => {
    expect(() => parseProcStat(readFixture('malformed', 'stat'))).toThrow(ParseError);
    expect(() => parseProcStat(readFixture('malformed', 'stat'))).toThrow(
      /line 1: column idle is not a number/,
    );
    expect(() => parseProcStat(readFixture('malformed', 'stat-short'))).toThrow(/at least 4 columns/);
    expect(() => parseProcStat(readFixture('malformed', 'stat-no-cpu'))).toThrow(/no "cpu" line/);
  });
});
