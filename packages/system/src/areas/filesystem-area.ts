import {
  type Gauge,
  type GaugeSeries,
  type Labels,
  type MetricsRegistry,
  MetricType,
  MetricUnit,
  type PerformanceMetric,
  type Unit,
} from '@fw0/metrics-core';
import { FilesystemMetric, FilesystemSample, Label } from '../names.js';
import type { FilesystemReading } from '../sources/types.js';
import { DeviceTable } from '../tracking/device-table.js';
import { HOST_AGGREGATION, type Recorder } from '../tracking/recorder.js';

/** The statfs figures, in the order of {@link FilesystemArea}'s size gauges. */
const SIZE_FIELDS = ['sizeBytes', 'freeBytes', 'availBytes', 'files', 'filesFree'] as const;

interface FilesystemState {
  readonly labels: Labels;
  readonly sizes: GaugeSeries[];
  readonly readonly: GaugeSeries;
  readonly error: GaugeSeries;
  readonly usedRatio: GaugeSeries;
}

/**
 * Space on mounted filesystems (statfs): node_exporter's gauges and the used fraction as df
 * and psutil show it: used / (used + avail), where used = size - free. The root-reserved blocks
 * are in neither part, so a full filesystem reads 100% even though free > 0.
 */
export class FilesystemArea {
  private readonly sizes: Gauge[];
  private readonly readonly: Gauge;
  private readonly error: Gauge;
  private readonly usedRatio: Gauge;
  private readonly filesystems = new DeviceTable<FilesystemState>();

  constructor(
    registry: MetricsRegistry,
    private readonly record: Recorder,
  ) {
    const gauge = (name: string, help: string, unit?: Unit) =>
      registry.gauge({ name, help, aggregation: HOST_AGGREGATION, ...(unit ? { unit } : {}) });
    this.sizes = [
      gauge(FilesystemMetric.SIZE, 'Filesystem size in bytes.', 'bytes'),
      gauge(FilesystemMetric.FREE, 'Filesystem free space in bytes.', 'bytes'),
      gauge(FilesystemMetric.AVAIL, 'Filesystem space available to non-root users in bytes.', 'bytes'),
      gauge(FilesystemMetric.FILES, 'Filesystem total file nodes.'),
      gauge(FilesystemMetric.FILES_FREE, 'Filesystem total free file nodes.'),
    ];
    this.readonly = gauge(FilesystemMetric.READONLY, 'Filesystem read-only status.');
    this.error = gauge(
      FilesystemMetric.DEVICE_ERROR,
      'Whether an error occurred while getting statistics for the given device.',
    );
    this.usedRatio = gauge(
      FilesystemMetric.USED_RATIO,
      'Used space as a fraction of used + available (as df).',
      'ratio',
    );
  }

  /** Takes one reading per mounted filesystem; returns the size samples of those statfs answered for. */
  update(readings: readonly FilesystemReading[], timestamp: number): PerformanceMetric[] {
    const samples: PerformanceMetric[] = [];
    this.filesystems.begin();
    for (const reading of readings) {
      const key = `${reading.device}\u0000${reading.fstype}\u0000${reading.mountpoint}`;
      const state = this.filesystems.get(key, () => this.createFilesystem(reading));
      state.error.set(reading.error === undefined ? 0 : 1);
      if (reading.readonly !== undefined) state.readonly.set(reading.readonly ? 1 : 0);
      if (reading.error !== undefined) {
        // No stale figures: a mount that cannot be measured shows its error flag only.
        this.removeSizes(state);
        continue;
      }
      SIZE_FIELDS.forEach((field, index) => {
        const value = reading[field];
        if (value !== undefined) state.sizes[index]!.set(value);
      });
      const { sizeBytes, freeBytes, availBytes } = reading;
      if (sizeBytes === undefined || freeBytes === undefined || availBytes === undefined) continue;
      const used = sizeBytes - freeBytes;
      state.usedRatio.set(used + availBytes > 0 ? used / (used + availBytes) : 0);
      samples.push(
        this.sample(FilesystemSample.SIZE, sizeBytes, MetricUnit.BYTES, state.labels, timestamp),
        this.sample(FilesystemSample.FREE, freeBytes, MetricUnit.BYTES, state.labels, timestamp),
        this.sample(FilesystemSample.AVAIL, availBytes, MetricUnit.BYTES, state.labels, timestamp),
        this.sample(
          FilesystemSample.USED,
          state.usedRatio.value * 100,
          MetricUnit.PERCENT,
          state.labels,
          timestamp,
        ),
      );
    }
    this.filesystems.sweep((state) => {
      this.removeSizes(state);
      this.readonly.remove(state.labels);
      this.error.remove(state.labels);
    });
    return samples;
  }

  private createFilesystem(reading: FilesystemReading): FilesystemState {
    const labels = Object.freeze({
      [Label.DEVICE]: reading.device,
      [Label.FSTYPE]: reading.fstype,
      [Label.MOUNTPOINT]: reading.mountpoint,
    });
    return {
      labels,
      sizes: this.sizes.map((gauge) => gauge.bind(labels)),
      readonly: this.readonly.bind(labels),
      error: this.error.bind(labels),
      usedRatio: this.usedRatio.bind(labels),
    };
  }

  private removeSizes(state: FilesystemState): void {
    for (const gauge of this.sizes) gauge.remove(state.labels);
    this.usedRatio.remove(state.labels);
  }

  private sample(
    name: string,
    value: number,
    unit: Unit,
    tags: Labels,
    timestamp: number,
  ): PerformanceMetric {
    return this.record({ name, value, type: MetricType.GAUGE, unit, tags, timestamp });
  }
}
