import { ParseError } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../test-support/fixtures.js';
import { parseMeminfo } from './meminfo.js';

describe('parseMeminfo', () => {
  it('reads every line of a captured /proc/meminfo, kB as KiB', () => {
    const text = readFixture('captured', 'proc', 'meminfo');
    const meminfo = parseMeminfo(text);
    const lines = text.trim().split('\n');
    expect(meminfo.size).toBe(lines.length);
    for (const line of lines) {
      const [name, value, unit] = line.replace(':', '').split(/\s+/);
      expect(meminfo.get(name!)).toBe(Number(value) * (unit === 'kB' ? 1024 : 1));
    }
    expect(meminfo.has('Active(anon)')).toBe(true);
    expect(meminfo.get('HugePages_Total')).toBe(Number(/HugePages_Total:\s+(\d+)/.exec(text)![1]));
  });

  it('reads a kernel without MemAvailable (before 3.14)', () => {
    const meminfo = parseMeminfo(readFixture('old-kernel', 'meminfo'));
    expect(meminfo.get('MemTotal')).toBe(1031016 * 1024);
    expect(meminfo.has('MemAvailable')).toBe(false);
  });

  it('throws a ParseError naming a malformed line or a missing MemTotal', () => {
    expect(() => parseMeminfo(readFixture('malformed', 'meminfo'))).toThrow(ParseError);
    expect(() => parseMeminfo(readFixture('malformed', 'meminfo'))).toThrow(
      /line 2: expected "Name: value \[kB\]"/,
    );
    expect(() => parseMeminfo(readFixture('malformed', 'meminfo-no-total'))).toThrow(/no MemTotal line/);
  });
});
