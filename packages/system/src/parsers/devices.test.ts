import { ParseError } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../test-support/fixtures.js';
import { parseDiskstats } from './diskstats.js';
import { parseMounts } from './mounts.js';
import { NET_DEV_COLUMNS, parseNetDev } from './net-dev.js';

describe('parseDiskstats', () => {
  it('reads every device of a captured /proc/diskstats (20 fields a line)', () => {
    const text = readFixture('captured', 'proc', 'diskstats');
    const disks = parseDiskstats(text);
    const lines = text.trim().split('\n');
    expect(disks).toHaveLength(lines.length);
    lines.forEach((line, index) => {
      const fields = line.trim().split(/\s+/);
      const disk = disks[index]!;
      expect(disk.device).toBe(fields[2]);
      expect(disk.readsCompleted).toBe(Number(fields[3]));
      expect(disk.sectorsWritten).toBe(Number(fields[9]));
      expect(disk.ioTimeMs).toBe(Number(fields[12]));
      expect(disk.flushTimeMs).toBe(Number(fields[19]));
    });
  });

  it('reads the 14-field lines of kernels before 4.18, without discard and flush fields', () => {
    const [sda, sda1] = parseDiskstats(readFixture('old-kernel', 'diskstats'));
    expect(sda).toMatchObject({ device: 'sda', readsCompleted: 12046, weightedIoTimeMs: 260792 });
    expect(sda!.discardsCompleted).toBeUndefined();
    expect(sda1!.device).toBe('sda1');
  });

  it('reads device names with spaces, even one that ends in a number', () => {
    const disks = parseDiskstats(readFixture('spaces', 'diskstats'));
    expect(disks.map((disk) => disk.device)).toEqual(['nvme0n1', 'my disk', 'disk 2']);
    expect(disks[1]).toMatchObject({ readsCompleted: 7, sectorsRead: 56, flushRequests: 0 });
    expect(disks[2]).toMatchObject({ readsCompleted: 11, sectorsWritten: 104, ioInProgress: 1 });
  });

  it('throws a ParseError naming a line with too few statistics', () => {
    expect(() => parseDiskstats(readFixture('malformed', 'diskstats'))).toThrow(ParseError);
  });
});

describe('parseNetDev', () => {
  it('reads every interface of a captured /proc/net/dev', () => {
    const text = readFixture('captured', 'proc', 'net', 'dev');
    const interfaces = parseNetDev(text);
    const lines = text.trim().split('\n').slice(2);
    expect(interfaces.map((item) => item.device)).toEqual(lines.map((line) => line.split(':')[0]!.trim()));
    lines.forEach((line, index) => {
      expect(interfaces[index]!.counters).toEqual(line.split(':')[1]!.trim().split(/\s+/).map(Number));
    });
  });

  it('reads lines without a space after the colon (old kernels) and names with spaces', () => {
    const old = parseNetDev(readFixture('old-kernel', 'net-dev'));
    expect(old.map((item) => item.device)).toEqual(['lo', 'eth0']);
    expect(old[1]!.counters[0]).toBe(4294967000);
    const spaced = parseNetDev(readFixture('spaces', 'net-dev'));
    expect(spaced[0]!.device).toBe('my if');
    expect(spaced[1]!.counters).toEqual(Array.from({ length: NET_DEV_COLUMNS }, (_, i) => i + 1));
  });

  it('throws a ParseError naming a line with too few counters', () => {
    expect(() => parseNetDev(readFixture('malformed', 'net-dev'))).toThrow(
      /line 3: expected "name:" and 16 counters/,
    );
  });
});

describe('parseMounts', () => {
  it('reads a captured /proc/mounts, the last of two lines for one mount point winning', () => {
    const text = readFixture('captured', 'proc', 'mounts');
    const mounts = parseMounts(text);
    const mountpoints = new Set(
      text
        .trim()
        .split('\n')
        .map((line) => line.split(' ')[1]),
    );
    expect(mounts).toHaveLength(mountpoints.size);
    expect(mounts.find((mount) => mount.mountpoint === '/')).toMatchObject({
      device: '/dev/vda',
      fstype: 'ext4',
      readonly: false,
    });
  });

  it('undoes the octal escapes of blanks and backslashes in paths', () => {
    const mounts = parseMounts(readFixture('spaces', 'mounts'));
    expect(mounts.map((mount) => mount.mountpoint)).toEqual([
      '/',
      '/mnt/my disk',
      '/srv/share one',
      '/data/tab\tand\\backslash',
      '/run',
    ]);
    expect(mounts[1]!.readonly).toBe(true);
    expect(mounts[2]!.device).toBe('//server/share name');
    expect(mounts).toHaveLength(5);
  });
});
