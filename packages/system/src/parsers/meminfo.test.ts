import { ParseError } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../test-support/fixtures.js';
import { meminfoFieldSet, parseMeminfo } from './meminfo.js';

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

  it('with a set of fields, reads those alone, as the full parse reads them', () => {
    const text = readFixture('captured', 'proc', 'meminfo');
    const full = parseMeminfo(text);
    const names = ['SwapFree', 'Cached', 'MemAvailable', 'SwapCached', 'Active', 'NoSuchField'];
    const some = parseMeminfo(text, undefined, meminfoFieldSet(names));
    // MemTotal is always looked up: nothing is usable without it.
    expect([...some.keys()].sort()).toEqual([
      'Active',
      'Cached',
      'MemAvailable',
      'MemTotal',
      'SwapCached',
      'SwapFree',
    ]);
    for (const [name, value] of some) expect(value, name).toBe(full.get(name));
  });

  it('with a set of fields, checks those lines only, and still wants MemTotal', () => {
    const fields = meminfoFieldSet(['MemFree']);
    expect(() => parseMeminfo(readFixture('malformed', 'meminfo'), undefined, fields)).toThrow(
      /line 2: expected "Name: value \[kB\]"/,
    );
    expect(parseMeminfo('MemTotal: 8 kB\nBroken: x\nMemFree: 2 kB\n', undefined, fields).get('MemFree')).toBe(
      2048,
    );
    expect(() => parseMeminfo(readFixture('malformed', 'meminfo-no-total'), undefined, fields)).toThrow(
      /no MemTotal line/,
    );
  });
});
