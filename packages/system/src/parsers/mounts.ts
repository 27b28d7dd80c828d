import { parseFailure, splitBlanks, splitLines, unescapeOctal } from './parse-support.js';

/** One line of /proc/mounts. */
export interface Mount {
  /** Mount source (`/dev/vda`, `tmpfs`), octal escapes undone. */
  readonly device: string;
  /** Mount point path, octal escapes undone (`/mnt/my disk`). */
  readonly mountpoint: string;
  /** Filesystem type (`ext4`). */
  readonly fstype: string;
  /** True when mounted read-only (`ro` among the options). */
  readonly readonly: boolean;
}

/**
 * Parses /proc/mounts (fstab format: blanks in paths are written `\040`). When a mount point
 * appears more than once, the last line wins: it is the mount on top, the one statfs sees.
 * Throws a ParseError naming a line with fewer than 4 fields.
 */
export function parseMounts(text: string, file = '/proc/mounts'): Mount[] {
  const byMountpoint = new Map<string, Mount>();
  const lines = splitLines(text);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const fields = splitBlanks(line);
    if (fields.length === 0) continue;
    const number = index + 1;
    if (fields.length < 4)
      throw parseFailure(file, number, line, 'expected "device mountpoint fstype options"');
    const mountpoint = unescapeOctal(fields[1]!);
    byMountpoint.delete(mountpoint);
    byMountpoint.set(mountpoint, {
      device: unescapeOctal(fields[0]!),
      mountpoint,
      fstype: fields[2]!,
      readonly: fields[3]!.split(',').includes('ro'),
    });
  }
  return [...byMountpoint.values()];
}
