import { ParseError } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../test-support/fixtures.js';
import { parseLoadavg } from './loadavg.js';
import { parsePageSize } from './page-size.js';
import { parseSwaps } from './swaps.js';
import { parseVmstat } from './vmstat.js';

describe('parseLoadavg', () => {
  it('reads the three averages of a captured /proc/loadavg', () => {
    const text = readFixture('captured', 'proc', 'loadavg');
    const [one, five, fifteen] = text.split(' ').map(Number);
    expect(parseLoadavg(text)).toEqual({ load1: one, load5: five, load15: fifteen });
  });

  it('throws a ParseError on anything else', () => {
    expect(() => parseLoadavg(readFixture('malformed', 'loadavg'))).toThrow(ParseError);
  });
});

describe('parseVmstat', () => {
  it('reads pswpin and pswpout of a captured /proc/vmstat', () => {
    const text = readFixture('captured', 'proc', 'vmstat');
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)![1]);
    expect(parseVmstat(text)).toEqual({ pagesIn: value('pswpin'), pagesOut: value('pswpout') });
  });

  it('throws a ParseError when they are missing or not numbers', () => {
    expect(() => parseVmstat('pswpin 1\npswpout x\n')).toThrow(/line 2: pswpout is not a number/);
    expect(() => parseVmstat(readFixture('malformed', 'vmstat'))).toThrow(/no pswpin line/);
  });
});

describe('parseSwaps', () => {
  it('reads an empty /proc/swaps (header only) as no swap areas', () => {
    expect(parseSwaps(readFixture('empty-swaps', 'swaps'))).toEqual([]);
    expect(parseSwaps(readFixture('captured', 'proc', 'swaps'))).toEqual([]);
  });

  it('reads swap areas, undoing the escape of a blank in a path, sizes in bytes', () => {
    expect(parseSwaps(readFixture('spaces', 'swaps'))).toEqual([
      { device: '/swap file', type: 'file', sizeBytes: 1048572 * 1024, usedBytes: 2048 * 1024, priority: -2 },
      { device: '/dev/dm-1', type: 'partition', sizeBytes: 8388604 * 1024, usedBytes: 0, priority: 10 },
    ]);
  });

  it('throws a ParseError naming a malformed line', () => {
    expect(() => parseSwaps(readFixture('malformed', 'swaps'))).toThrow(
      /line 2: expected "Filename Type Size Used Priority"/,
    );
  });
});

describe('parsePageSize', () => {
  it('reads KernelPageSize from the start of /proc/self/smaps', () => {
    const text = readFixture('captured', 'proc', 'self', 'smaps');
    const kib = Number(/KernelPageSize:\s+(\d+) kB/.exec(text)![1]);
    expect(parsePageSize(text)).toBe(kib * 1024);
    expect(parsePageSize('no such line')).toBeUndefined();
  });
});
