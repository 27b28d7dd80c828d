import type { Unit } from '@fw0/metrics-core';
import { DiskMetric, DiskSample } from '../names.js';
import type { DiskStats } from '../parsers/diskstats.js';

/** /proc/diskstats sectors are always 512 bytes (the kernel's unit, whatever the device's sector size). */
export const SECTOR_BYTES = 512;

/** The cumulative fields of a /proc/diskstats line. */
export type CounterField = keyof Omit<DiskStats, 'device' | 'major' | 'minor' | 'ioInProgress'>;

/** node_exporter's disk counters: which field, and how to get base units from it. */
export const COUNTERS: readonly {
  name: string;
  help: string;
  field: CounterField;
  unit?: Unit;
  multiplier: number;
  divisor: number;
}[] = [
  {
    name: DiskMetric.READS_COMPLETED,
    help: 'The total number of reads completed successfully.',
    field: 'readsCompleted',
    multiplier: 1,
    divisor: 1,
  },
  {
    name: DiskMetric.READS_MERGED,
    help: 'The total number of reads merged.',
    field: 'readsMerged',
    multiplier: 1,
    divisor: 1,
  },
  {
    name: DiskMetric.READ_BYTES,
    help: 'The total number of bytes read successfully.',
    field: 'sectorsRead',
    unit: 'bytes',
    multiplier: SECTOR_BYTES,
    divisor: 1,
  },
  {
    name: DiskMetric.READ_TIME,
    help: 'The total number of seconds spent by all reads.',
    field: 'readTimeMs',
    unit: 'seconds',
    multiplier: 1,
    divisor: 1000,
  },
  {
    name: DiskMetric.WRITES_COMPLETED,
    help: 'The total number of writes completed successfully.',
    field: 'writesCompleted',
    multiplier: 1,
    divisor: 1,
  },
  {
    name: DiskMetric.WRITES_MERGED,
    help: 'The number of writes merged.',
    field: 'writesMerged',
    multiplier: 1,
    divisor: 1,
  },
  {
    name: DiskMetric.WRITTEN_BYTES,
    help: 'The total number of bytes written successfully.',
    field: 'sectorsWritten',
    unit: 'bytes',
    multiplier: SECTOR_BYTES,
    divisor: 1,
  },
  {
    name: DiskMetric.WRITE_TIME,
    help: 'This is the total number of seconds spent by all writes.',
    field: 'writeTimeMs',
    unit: 'seconds',
    multiplier: 1,
    divisor: 1000,
  },
  {
    name: DiskMetric.IO_TIME,
    help: 'Total seconds spent doing I/Os.',
    field: 'ioTimeMs',
    unit: 'seconds',
    multiplier: 1,
    divisor: 1000,
  },
  {
    name: DiskMetric.IO_TIME_WEIGHTED,
    help: 'The weighted # of seconds spent doing I/Os.',
    field: 'weightedIoTimeMs',
    unit: 'seconds',
    multiplier: 1,
    divisor: 1000,
  },
];

/** Our rates: sample name, metric, unit, the counter they derive from and the factor to base units. */
export const RATES: readonly {
  sample: string;
  name: string;
  help: string;
  unit: Unit;
  counter: number;
  scale: number;
}[] = [
  {
    sample: DiskSample.READ_RATE,
    name: DiskMetric.READ_RATE,
    help: 'Bytes read per second over the last interval.',
    unit: 'bytes_per_second',
    counter: 2,
    scale: SECTOR_BYTES,
  },
  {
    sample: DiskSample.WRITE_RATE,
    name: DiskMetric.WRITE_RATE,
    help: 'Bytes written per second over the last interval.',
    unit: 'bytes_per_second',
    counter: 6,
    scale: SECTOR_BYTES,
  },
  {
    sample: DiskSample.READS_RATE,
    name: DiskMetric.READS_RATE,
    help: 'Reads completed per second over the last interval.',
    unit: 'per_second',
    counter: 0,
    scale: 1,
  },
  {
    sample: DiskSample.WRITES_RATE,
    name: DiskMetric.WRITES_RATE,
    help: 'Writes completed per second over the last interval.',
    unit: 'per_second',
    counter: 4,
    scale: 1,
  },
];
/** Index of io_time in {@link COUNTERS}. */
export const IO_TIME_COUNTER = 8;
