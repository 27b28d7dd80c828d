import {
  type Counter,
  type Gauge,
  type GaugeSeries,
  type Labels,
  type MetricsRegistry,
  MetricUnit,
} from '@fw0/metrics-core';
import type { NameFilter } from '../filters.js';
import { DiskMetric, DiskSample, Label } from '../names.js';
import type { DiskIoReading } from '../sources/types.js';
import { DeviceTable } from '../tracking/device-table.js';
import { KernelCounter } from '../tracking/kernel-counter.js';
import { HOST_AGGREGATION, type Recorder, recordGauge, type SampleList } from '../tracking/recorder.js';
import { COUNTERS, IO_TIME_COUNTER, RATES } from './disk-counters.js';

interface DiskState {
  readonly labels: Labels;
  readonly counters: (KernelCounter | undefined)[];
  readonly deltas: Float64Array;
  readonly rates: GaugeSeries[];
  readonly utilization: GaugeSeries;
  readonly ioNow: GaugeSeries;
}

/** Block device I/O: node_exporter's cumulative counters and our per-second rates. */
export class DiskArea {
  private readonly counters: Counter[];
  private readonly rates: Gauge[];
  private readonly utilization: Gauge;
  private readonly ioNow: Gauge;
  private readonly disks = new DeviceTable<DiskState>();
  private lastAt = Number.NaN;

  constructor(
    registry: MetricsRegistry,
    private readonly record: Recorder,
    private readonly filter: NameFilter,
  ) {
    this.counters = COUNTERS.map(({ name, help, unit }) =>
      registry.counter({ name, help, ...(unit ? { unit } : {}) }),
    );
    this.rates = RATES.map(({ name, help, unit }) =>
      registry.gauge({ name, help, unit, aggregation: HOST_AGGREGATION }),
    );
    this.utilization = registry.gauge({
      name: DiskMetric.IO_UTILIZATION,
      help: 'Fraction of the last interval the device had I/O in flight.',
      unit: 'ratio',
      aggregation: HOST_AGGREGATION,
    });
    this.ioNow = registry.gauge({
      name: DiskMetric.IO_NOW,
      help: 'The number of I/Os currently in progress.',
      aggregation: HOST_AGGREGATION,
    });
  }

  /**
   * Takes a reading of every device at `at` (performance.now(), ms); records the rate samples of
   * those the filter accepts and adds them to `samples` when given.
   */
  update(devices: readonly DiskIoReading[], at: number, timestamp: number, samples?: SampleList): void {
    const seconds = (at - this.lastAt) / 1000;
    this.lastAt = at;
    this.disks.begin();
    for (let d = 0; d < devices.length; d++) {
      const device = devices[d]!;
      if (!this.filter.accepts(device.device)) continue;
      const state = this.disks.get(device.device, this.createDisk);
      for (let i = 0; i < COUNTERS.length; i++) {
        const counter = COUNTERS[i]!;
        const raw = device[counter.field];
        if (raw === undefined) {
          state.deltas[i] = Number.NaN;
          continue;
        }
        state.counters[i] ??= new KernelCounter(
          this.counters[i]!.bind(state.labels),
          'wrap',
          counter.multiplier,
          counter.divisor,
        );
        state.deltas[i] = state.counters[i]!.update(raw);
      }
      if (device.ioInProgress !== undefined) state.ioNow.set(device.ioInProgress);
      if (!(seconds > 0)) continue;
      for (let r = 0; r < RATES.length; r++) {
        const rate = RATES[r]!;
        const delta = state.deltas[rate.counter]!;
        if (Number.isNaN(delta)) continue;
        state.rates[r]!.set((delta * rate.scale) / seconds);
        recordGauge(
          this.record,
          samples,
          rate.sample,
          state.rates[r]!.value,
          rate.unit,
          timestamp,
          state.labels,
        );
      }
      const busy = state.deltas[IO_TIME_COUNTER]!;
      if (!Number.isNaN(busy)) {
        state.utilization.set(Math.min(1, busy / 1000 / seconds));
        recordGauge(
          this.record,
          samples,
          DiskSample.IO_UTILIZATION,
          state.utilization.value * 100,
          MetricUnit.PERCENT,
          timestamp,
          state.labels,
        );
      }
    }
    this.disks.sweep(this.removeDisk);
  }

  /** performance.now() of the last reading (NaN before the first). */
  get lastReadingAt(): number {
    return this.lastAt;
  }

  private readonly createDisk = (device: string): DiskState => {
    const labels = Object.freeze({ [Label.DEVICE]: device });
    return {
      labels,
      counters: COUNTERS.map(() => undefined),
      deltas: new Float64Array(COUNTERS.length),
      rates: this.rates.map((gauge) => gauge.bind(labels)),
      utilization: this.utilization.bind(labels),
      ioNow: this.ioNow.bind(labels),
    };
  };

  private readonly removeDisk = (state: DiskState): void => {
    for (const counter of this.counters) counter.remove(state.labels);
    for (const gauge of [...this.rates, this.utilization, this.ioNow]) gauge.remove(state.labels);
  };
}
