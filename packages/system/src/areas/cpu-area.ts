import {
  type Counter,
  type Gauge,
  type GaugeSeries,
  type Labels,
  type MetricsRegistry,
  MetricUnit,
} from '@fw0/metrics-core';
import { CPU_MODES, CpuMetric, CpuSample, Label } from '../names.js';
import type { LoadAverage } from '../parsers/loadavg.js';
import type { CpuTicks } from '../parsers/proc-stat.js';
import type { CpuReading } from '../sources/types.js';
import { DeviceTable } from '../tracking/device-table.js';
import { KernelCounter } from '../tracking/kernel-counter.js';
import { HOST_AGGREGATION, type Recorder, recordGauge, type SampleList } from '../tracking/recorder.js';
import { bindUnset } from '../tracking/unset-gauge.js';

/** Modes that count as not busy (psutil and top agree: idle and waiting for I/O). */
const IDLE = CPU_MODES.indexOf('idle');
const IOWAIT = CPU_MODES.indexOf('iowait');

/** Trackers of one CPU (or of all together), one per mode. */
interface CpuState {
  readonly labels: Labels;
  readonly modes: KernelCounter[];
  readonly guest: KernelCounter[];
  readonly utilization: GaugeSeries;
  readonly modeShares: GaugeSeries[];
}

/**
 * CPU time, utilisation and load. Utilisation and mode shares come from the deltas between two
 * readings: busy = 1 - (idle + iowait) / (user + nice + system + idle + iowait + irq + softirq +
 * steal). Guest time is already inside user and nice, so it is not added again (as psutil).
 */
export class CpuArea {
  private readonly seconds: Counter;
  private readonly guestSeconds: Counter;
  private readonly coreUtilization: Gauge;
  private readonly coreModeShares: Gauge;
  private readonly load: readonly [GaugeSeries, GaugeSeries, GaugeSeries];
  private readonly all: CpuState;
  private readonly cores = new DeviceTable<CpuState>();
  private readonly deltas = new Float64Array(CPU_MODES.length);
  private ticksPerSecond = 0;

  constructor(
    registry: MetricsRegistry,
    private readonly record: Recorder,
  ) {
    this.seconds = registry.counter({
      name: CpuMetric.SECONDS,
      help: 'Seconds the CPUs spent in each mode.',
      unit: 'seconds',
    });
    this.guestSeconds = registry.counter({
      name: CpuMetric.GUEST_SECONDS,
      help: 'Seconds the CPUs spent running guests (included in user and nice).',
      unit: 'seconds',
    });
    const gauge = (name: string, help: string, unit?: 'ratio') =>
      registry.gauge({ name, help, aggregation: HOST_AGGREGATION, ...(unit ? { unit } : {}) });
    this.load = [
      bindUnset(gauge(CpuMetric.LOAD1, '1m load average.')),
      bindUnset(gauge(CpuMetric.LOAD5, '5m load average.')),
      bindUnset(gauge(CpuMetric.LOAD15, '15m load average.')),
    ];
    const utilization = gauge(
      CpuMetric.UTILIZATION,
      'Busy fraction of all CPUs over the last interval.',
      'ratio',
    );
    const modeShares = gauge(
      CpuMetric.MODE_UTILIZATION,
      'Share of all CPU time spent in each mode over the last interval.',
      'ratio',
    );
    this.coreUtilization = gauge(
      CpuMetric.CORE_UTILIZATION,
      'Busy fraction of each CPU over the last interval.',
      'ratio',
    );
    this.coreModeShares = gauge(
      CpuMetric.CORE_MODE_UTILIZATION,
      "Share of each CPU's time spent in each mode over the last interval.",
      'ratio',
    );
    this.all = {
      labels: Object.freeze({}),
      modes: CPU_MODES.map(() => new KernelCounter(undefined, 'monotonic')),
      guest: [],
      utilization: bindUnset(utilization),
      modeShares: CPU_MODES.map((mode) => bindUnset(modeShares, { [Label.MODE]: mode })),
    };
  }

  /**
   * Takes a reading of CPU times; records the utilisation samples (none on the first reading)
   * and adds them to `samples` when given.
   */
  updateTimes(reading: CpuReading, timestamp: number, samples?: SampleList): void {
    this.ticksPerSecond = reading.ticksPerSecond;
    const all = this.all;
    if (this.track(all, reading.total)) {
      this.sample(CpuSample.UTILIZATION, all.utilization.value, all.labels, timestamp, samples);
      for (let i = 0; i < CPU_MODES.length; i++) {
        const share = all.modeShares[i]!;
        this.sample(CpuSample.MODE_UTILIZATION, share.value, share.labels, timestamp, samples);
      }
    }
    this.cores.begin();
    const cores = reading.cores;
    for (let c = 0; c < cores.length; c++) {
      const core = cores[c]!;
      const state = this.cores.get(core.cpu, this.createCore);
      if (this.track(state, core.ticks)) {
        this.sample(CpuSample.CORE_UTILIZATION, state.utilization.value, state.labels, timestamp, samples);
      }
    }
    this.cores.sweep(this.removeCore);
  }

  /** Takes a reading of the load averages; records their samples and adds them to `samples` when given. */
  updateLoad(load: LoadAverage, timestamp: number, samples?: SampleList): void {
    this.loadSample(0, CpuSample.LOAD1, load.load1, timestamp, samples);
    this.loadSample(1, CpuSample.LOAD5, load.load5, timestamp, samples);
    this.loadSample(2, CpuSample.LOAD15, load.load15, timestamp, samples);
  }

  private loadSample(index: number, name: string, value: number, timestamp: number, samples: SampleList) {
    this.load[index]!.set(value);
    recordGauge(this.record, samples, name, value, MetricUnit.COUNT, timestamp);
  }

  /** Updates the trackers of one CPU; true when utilisation could be computed (a previous reading and time passed). */
  private track(state: CpuState, ticks: CpuTicks): boolean {
    const deltas = this.deltas;
    let sum = 0;
    for (let i = 0; i < CPU_MODES.length; i++) {
      deltas[i] = state.modes[i]!.update(ticks[CPU_MODES[i]!]);
      sum += deltas[i]!;
    }
    state.guest[0]?.update(ticks.guest);
    state.guest[1]?.update(ticks.guestNice);
    // NaN: first reading; 0: no tick elapsed (two readings within one tick).
    if (!(sum > 0)) return false;
    state.utilization.set(1 - (deltas[IDLE]! + deltas[IOWAIT]!) / sum);
    for (let i = 0; i < CPU_MODES.length; i++) state.modeShares[i]!.set(deltas[i]! / sum);
    return true;
  }

  private readonly createCore = (cpu: string): CpuState => {
    const labels = Object.freeze({ [Label.CPU]: cpu });
    const divisor = this.ticksPerSecond;
    return {
      labels,
      modes: CPU_MODES.map(
        (mode) =>
          new KernelCounter(this.seconds.bind({ ...labels, [Label.MODE]: mode }), 'monotonic', 1, divisor),
      ),
      guest: ['user', 'nice'].map(
        (mode) =>
          new KernelCounter(
            this.guestSeconds.bind({ ...labels, [Label.MODE]: mode }),
            'monotonic',
            1,
            divisor,
          ),
      ),
      utilization: this.coreUtilization.bind(labels),
      modeShares: CPU_MODES.map((mode) => this.coreModeShares.bind({ ...labels, [Label.MODE]: mode })),
    };
  };

  private readonly removeCore = (state: CpuState): void => {
    for (const mode of CPU_MODES) {
      this.seconds.remove({ ...state.labels, [Label.MODE]: mode });
      this.coreModeShares.remove({ ...state.labels, [Label.MODE]: mode });
    }
    for (const mode of ['user', 'nice']) this.guestSeconds.remove({ ...state.labels, [Label.MODE]: mode });
    this.coreUtilization.remove(state.labels);
  };

  private sample(name: string, ratio: number, tags: Labels, timestamp: number, samples: SampleList): void {
    recordGauge(this.record, samples, name, ratio * 100, MetricUnit.PERCENT, timestamp, tags);
  }
}
