import { ConfigError, describeValue } from '@fw0/metrics-core';

/**
 * node_exporter's default `--collector.diskstats.device-exclude` (since 1.8; 1.5 to 1.7 lacked
 * the `z?` and kept zram): partitions of IDE, SCSI/SATA, virtio, Xen and NVMe disks, loop devices,
 * ram and zram disks (memory, not storage), floppies. Whole disks (sda, vda, nvme0n1, mmcblk0),
 * device-mapper and md volumes (dm-0, md0), optical drives (sr0) and the partitions of names the
 * pattern does not know (mmcblk0p1) stay.
 */
export const DEFAULT_DISK_DEVICE_EXCLUDE = /^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/;

/** node_exporter's default `--collector.filesystem.mount-points-exclude`. */
export const DEFAULT_MOUNT_POINT_EXCLUDE =
  /^\/(dev|proc|run|sys|mnt|media|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/;

/** node_exporter's default `--collector.filesystem.fs-types-exclude`: pseudo and read-only image filesystems. */
export const DEFAULT_FS_TYPE_EXCLUDE =
  /^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$/;

/** The loopback interface, excluded by default as node_exporter's Debian build does (`^lo$`). */
export const DEFAULT_NETWORK_DEVICE_EXCLUDE = /^lo$/;

/** Most names whose verdict a {@link NameFilter} remembers; past it, it starts over. */
const REMEMBERED_NAMES = 1024;

/**
 * Accepts names that match `include` (when given) and do not match `exclude` (when given).
 * The same devices come back every collection: each name's verdict is remembered, so the
 * patterns run once per name rather than once per name per second (bounded: a host that keeps
 * creating interfaces with new names only makes the memory start over).
 */
export class NameFilter {
  private readonly include: RegExp | undefined;
  private readonly exclude: RegExp | undefined;
  private readonly verdicts = new Map<string, boolean>();
  /** `accepts` bound to this filter, to hand to parsers. */
  readonly accept: (name: string) => boolean;

  constructor(include: RegExp | undefined, exclude: RegExp | undefined) {
    this.include = include;
    this.exclude = exclude;
    this.accept = (name) => this.accepts(name);
  }

  /** True when `name` passes. */
  accepts(name: string): boolean {
    let verdict = this.verdicts.get(name);
    if (verdict === undefined) {
      verdict =
        (this.include === undefined || this.include.test(name)) &&
        (this.exclude === undefined || !this.exclude.test(name));
      if (this.verdicts.size >= REMEMBERED_NAMES) this.verdicts.clear();
      this.verdicts.set(name, verdict);
    }
    return verdict;
  }
}

/** Which mounted filesystems are measured. */
export interface FilesystemFilter {
  readonly mountPoints: NameFilter;
  readonly fsTypes: NameFilter;
}

/**
 * Checks a pattern option and returns a copy without the `g` and `y` flags (with them `test()`
 * keeps state between calls and alternates between true and false). `null` turns a default off.
 * Throws ConfigError naming the option for anything that is not a RegExp.
 */
export function patternOption(
  option: string,
  value: RegExp | null | undefined,
  fallback: RegExp | undefined,
): RegExp | undefined {
  if (value === undefined) return fallback;
  if (value === null) return undefined;
  if (!(value instanceof RegExp)) {
    throw new ConfigError(`Invalid option ${option}=${describeValue(value)}: expected a RegExp or null`, {
      subject: option,
      value,
    });
  }
  return value.global || value.sticky ? new RegExp(value.source, value.flags.replace(/[gy]/g, '')) : value;
}
