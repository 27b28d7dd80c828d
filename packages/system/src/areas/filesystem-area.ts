import {
  type Gauge,
  type GaugeSeries,
  type Labels,
  type MetricsRegistry,
  MetricUnit,
  type Unit,
} from '@fw0/metrics-core';
import { FilesystemMetric, FilesystemSample, Label } from '../names.js';
import type { FilesystemReading } from '../sources/types.js';
import { DeviceTable } from '../tracking/device-table.js';
import { HOST_AGGREGATION, type Recorder, recordGauge, type SampleList } from '../tracking/recorder.js';

/** The size samples and the figure each reports, in bytes. */
const SIZE_SAMPLES = [
  [FilesystemSample.SIZE, 'sizeBytes'],
  [FilesystemSample.FREE, 'freeBytes'],
  [FilesystemSample.AVAIL, 'availBytes'],
] as const;

/** The statfs figures, in the order of {@link FilesystemArea}'s size gauges. */
const SIZE_FIELDS = ['sizeBytes', 'freeBytes', 'availBytes', 'files', 'filesFree'] as const;

interface FilesystemState {
  readonly labels: Labels;
  readonly device: string;
  readonly fstype: string;
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

  /**
   * Takes one reading per mounted filesystem; records the size samples of those statfs answered
   * for and adds them to `samples` when given.
   */
  update(readings: readonly FilesystemReading[], timestamp: number, samples?: SampleList): void {
    this.filesystems.begin();
    for (let r = 0; r < readings.length; r++) {
      const reading = readings[r]!;
      // Keyed by mount point (one mount per point in the table); a remount with another device
      // or type is another series.
      let state = this.filesystems.find(reading.mountpoint);
      if (state === undefined || state.device !== reading.device || state.fstype !== reading.fstype) {
        if (state !== undefined) this.removeFilesystem(state);
        state = this.createFilesystem(reading);
        this.filesystems.replace(reading.mountpoint, state);
      }
      state.error.set(reading.error === undefined ? 0 : 1);
      if (reading.readonly !== undefined) state.readonly.set(reading.readonly ? 1 : 0);
      if (reading.error !== undefined) {
        // No stale figures: a mount that cannot be measured shows its error flag only.
        this.removeSizes(state);
        continue;
      }
      for (let index = 0; index < SIZE_FIELDS.length; index++) {
        const value = reading[SIZE_FIELDS[index]!];
        if (value !== undefined) state.sizes[index]!.set(value);
      }
      const { sizeBytes, freeBytes, availBytes } = reading;
      if (sizeBytes === undefined || freeBytes === undefined || availBytes === undefined) continue;
      const used = sizeBytes - freeBytes;
      state.usedRatio.set(used + availBytes > 0 ? used / (used + availBytes) : 0);
      for (let index = 0; index < SIZE_SAMPLES.length; index++) {
        const [name, field] = SIZE_SAMPLES[index]!;
        recordGauge(this.record, samples, name, reading[field]!, MetricUnit.BYTES, timestamp, state.labels);
      }
      const usedPercent = state.usedRatio.value * 100;
      recordGauge(
        this.record,
        samples,
        FilesystemSample.USED,
        usedPercent,
        MetricUnit.PERCENT,
        timestamp,
        state.labels,
      );
    }
    this.filesystems.sweep(this.removeFilesystem);
  }

  private readonly removeFilesystem = (state: FilesystemState): void => {
    this.removeSizes(state);
    this.readonly.remove(state.labels);
    this.error.remove(state.labels);
  };

  private createFilesystem(reading: FilesystemReading): FilesystemState {
    const labels = Object.freeze({
      [Label.DEVICE]: reading.device,
      [Label.FSTYPE]: reading.fstype,
      [Label.MOUNTPOINT]: reading.mountpoint,
    });
    return {
      labels,
      device: reading.device,
      fstype: reading.fstype,
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
}
