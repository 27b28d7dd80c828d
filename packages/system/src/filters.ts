import { ConfigError, describeValue } from '@fw0/metrics-core';

/**
 * node_exporter's default `--collector.diskstats.device-exclude`: partitions, loop and ram
 * devices, floppies. Whole disks (vda, sda, nvme0n1, zram0, dm-0, md0) stay.
 */
export const DEFAULT_DISK_DEVICE_EXCLUDE = /^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/;

/** node_exporter's default `--collector.filesystem.mount-points-exclude`. */
export const DEFAULT_MOUNT_POINT_EXCLUDE =
  /^\/(dev|proc|run|sys|mnt|media|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/;

/** node_exporter's default `--collector.filesystem.fs-types-exclude`: pseudo and read-only image filesystems. */
export const DEFAULT_FS_TYPE_EXCLUDE =
  /^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$/;

/** The loopback interface, excluded by default as node_exporter's Debian build does (`^lo$`). */
export const DEFAULT_NETWORK_DEVICE_EXCLUDE = /^lo$/;

/** Accepts names that match `include` (when given) and do not match `exclude` (when given). */
export class NameFilter {
  private readonly include: RegExp | undefined;
  private readonly exclude: RegExp | undefined;

  constructor(include: RegExp | undefined, exclude: RegExp | undefined) {
    this.include = include;
    this.exclude = exclude;
  }

  /** True when `name` passes. */
  accepts(name: string): boolean {
    if (this.include !== undefined && !this.include.test(name)) return false;
    return this.exclude === undefined || !this.exclude.test(name);
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
