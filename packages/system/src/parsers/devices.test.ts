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

  it('skips the devices a filter turns down, checking their lines all the same', () => {
    const text = readFixture('many-devices', 'diskstats');
    const all = parseDiskstats(text);
    const asked: string[] = [];
    const kept = parseDiskstats(text, undefined, (device) => {
      asked.push(device);
      return !/\d$/.test(device);
    });
    expect(asked).toEqual(all.map((disk) => disk.device));
    expect(kept).toEqual(all.filter((disk) => !/\d$/.test(disk.device)));
    expect(() => parseDiskstats(`${text}   8       2 sda2 1 2 x\n`, undefined, () => false)).toThrow(
      /line 20: expected "major minor name"/,
    );
  });

  it('reads counters past 2^53 as Number reads their text, and shorter ones exactly', () => {
    const huge = '18446744073709551615';
    const line = (value: string) =>
      `   8       0 sda ${value} ${Array.from({ length: 16 }, () => '0').join(' ')}\n`;
    expect(parseDiskstats(line(huge))[0]!.readsCompleted).toBe(Number(huge));
    expect(parseDiskstats(line('9007199254740993'))[0]!.readsCompleted).toBe(Number('9007199254740993'));
    expect(parseDiskstats(line('999999999999999'))[0]!.readsCompleted).toBe(999_999_999_999_999);
    expect(parseDiskstats(line('0000123'))[0]!.readsCompleted).toBe(123);
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
    const header = 'Inter-| a\n face | b\n';
    expect(() => parseNetDev(`${header}  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 1e3\n`)).toThrow(
      /line 3: counter 16 is not a number/,
    );
  });

  it('skips the interfaces a filter turns down', () => {
    const text = readFixture('captured', 'proc', 'net', 'dev');
    const all = parseNetDev(text);
    expect(parseNetDev(text, undefined, (device) => device.startsWith('ifb'))).toEqual(
      all.filter((item) => item.device.startsWith('ifb')),
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
