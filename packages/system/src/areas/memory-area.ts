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
import {
  Label,
  MEMINFO_FIELDS,
  MEMINFO_SAMPLED_FIELDS,
  type MeminfoField,
  MemoryMetric,
  MemorySample,
  meminfoMetricName,
} from '../names.js';
import type { Meminfo } from '../parsers/meminfo.js';
import type { SwapDevice } from '../parsers/swaps.js';
import type { SwapActivityReading } from '../sources/types.js';
import { DeviceTable } from '../tracking/device-table.js';
import { KernelCounter } from '../tracking/kernel-counter.js';
import { HOST_AGGREGATION, type Recorder } from '../tracking/recorder.js';
import { bindUnset } from '../tracking/unset-gauge.js';

interface SwapDeviceState {
  readonly labels: Labels;
  readonly size: GaugeSeries;
  readonly used: GaugeSeries;
}

/**
 * Memory and swap: /proc/meminfo sizes, used memory (MemTotal - MemAvailable, the memory that
 * cannot be had without swapping), swap use, swap traffic rates and swap areas.
 */
export class MemoryArea {
  private readonly fields = new Map<MeminfoField, GaugeSeries>();
  private readonly used: GaugeSeries;
  private readonly utilization: GaugeSeries;
  private readonly swapUsed: GaugeSeries;
  private readonly swapUtilization: GaugeSeries;
  private readonly pagesIn: GaugeSeries;
  private readonly pagesOut: GaugeSeries;
  private readonly swapInRate: GaugeSeries;
  private readonly swapOutRate: GaugeSeries;
  private readonly swapDeviceSize: Gauge;
  private readonly swapDeviceUsed: Gauge;
  private readonly swapDevices = new DeviceTable<SwapDeviceState>();
  private readonly inTracker = new KernelCounter(undefined, 'wrap');
  private readonly outTracker = new KernelCounter(undefined, 'wrap');
  private lastSwapAt = Number.NaN;

  constructor(
    registry: MetricsRegistry,
    private readonly record: Recorder,
  ) {
    const gauge = (name: string, help: string, unit?: Unit) =>
      registry.gauge({ name, help, aggregation: HOST_AGGREGATION, ...(unit ? { unit } : {}) });
    for (const field of MEMINFO_FIELDS) {
      this.fields.set(
        field,
        bindUnset(gauge(meminfoMetricName(field), `Memory information field ${field}_bytes.`, 'bytes')),
      );
    }
    this.used = bindUnset(gauge(MemoryMetric.USED, 'Memory in use: MemTotal - MemAvailable.', 'bytes'));
    this.utilization = bindUnset(
      gauge(MemoryMetric.UTILIZATION, 'Memory in use as a fraction of MemTotal.', 'ratio'),
    );
    this.swapUsed = bindUnset(gauge(MemoryMetric.SWAP_USED, 'Swap in use: SwapTotal - SwapFree.', 'bytes'));
    this.swapUtilization = bindUnset(
      gauge(
        MemoryMetric.SWAP_UTILIZATION,
        'Swap in use as a fraction of SwapTotal (0 without swap).',
        'ratio',
      ),
    );
    this.pagesIn = bindUnset(gauge(MemoryMetric.SWAP_IN_PAGES, '/proc/vmstat information field pswpin.'));
    this.pagesOut = bindUnset(gauge(MemoryMetric.SWAP_OUT_PAGES, '/proc/vmstat information field pswpout.'));
    this.swapInRate = bindUnset(
      gauge(
        MemoryMetric.SWAP_IN_RATE,
        'Bytes swapped in per second over the last interval.',
        'bytes_per_second',
      ),
    );
    this.swapOutRate = bindUnset(
      gauge(
        MemoryMetric.SWAP_OUT_RATE,
        'Bytes swapped out per second over the last interval.',
        'bytes_per_second',
      ),
    );
    this.swapDeviceSize = gauge(MemoryMetric.SWAP_DEVICE_SIZE, 'Size of each swap area.', 'bytes');
    this.swapDeviceUsed = gauge(MemoryMetric.SWAP_DEVICE_USED, 'Used part of each swap area.', 'bytes');
  }

  /**
   * Takes a meminfo reading; returns the memory samples. Without MemAvailable (kernels before
   * 3.14) available memory is estimated as MemFree + Buffers + Cached and the samples say so in
   * their context (`availableEstimated: true`).
   */
  updateMemory(meminfo: Meminfo, timestamp: number): PerformanceMetric[] {
    const samples: PerformanceMetric[] = [];
    for (const [field, series] of this.fields) {
      const value = meminfo.get(field);
      if (value === undefined) continue;
      series.set(value);
      if (MEMINFO_SAMPLED_FIELDS.includes(field)) {
        samples.push(this.sample(meminfoMetricName(field), value, MetricUnit.BYTES, timestamp));
      }
    }
    const total = meminfo.get('MemTotal') ?? 0;
    const measured = meminfo.get('MemAvailable');
    const available =
      measured ??
      (meminfo.get('MemFree') ?? 0) + (meminfo.get('Buffers') ?? 0) + (meminfo.get('Cached') ?? 0);
    const context = measured === undefined ? { availableEstimated: true } : undefined;
    if (measured === undefined) {
      this.fields.get('MemAvailable')!.set(available);
      samples.push(
        this.sample(meminfoMetricName('MemAvailable'), available, MetricUnit.BYTES, timestamp, context),
      );
    }
    const used = Math.max(0, total - available);
    this.used.set(used);
    this.utilization.set(total > 0 ? used / total : 0);
    samples.push(this.sample(MemorySample.USED, used, MetricUnit.BYTES, timestamp, context));
    samples.push(
      this.sample(
        MemorySample.UTILIZATION,
        this.utilization.value * 100,
        MetricUnit.PERCENT,
        timestamp,
        context,
      ),
    );
    const swapTotal = meminfo.get('SwapTotal');
    const swapFree = meminfo.get('SwapFree');
    if (swapTotal !== undefined && swapFree !== undefined) {
      const swapUsed = Math.max(0, swapTotal - swapFree);
      this.swapUsed.set(swapUsed);
      this.swapUtilization.set(swapTotal > 0 ? swapUsed / swapTotal : 0);
      samples.push(this.sample(MemorySample.SWAP_USED, swapUsed, MetricUnit.BYTES, timestamp));
      samples.push(
        this.sample(
          MemorySample.SWAP_UTILIZATION,
          this.swapUtilization.value * 100,
          MetricUnit.PERCENT,
          timestamp,
        ),
      );
    }
    return samples;
  }

  /** Takes a swap traffic reading at `at` (performance.now(), ms); returns the rate samples (none on the first). */
  updateSwapActivity(activity: SwapActivityReading, at: number, timestamp: number): PerformanceMetric[] {
    this.pagesIn.set(activity.pagesIn);
    this.pagesOut.set(activity.pagesOut);
    const pagesIn = this.inTracker.update(activity.pagesIn);
    const pagesOut = this.outTracker.update(activity.pagesOut);
    const seconds = (at - this.lastSwapAt) / 1000;
    this.lastSwapAt = at;
    const samples: PerformanceMetric[] = [];
    if (seconds > 0 && Number.isFinite(pagesIn)) {
      this.swapInRate.set((pagesIn * activity.pageSizeBytes) / seconds);
      samples.push(
        this.sample(MemorySample.SWAP_IN_RATE, this.swapInRate.value, MetricUnit.BYTES_PER_SECOND, timestamp),
      );
    }
    if (seconds > 0 && Number.isFinite(pagesOut)) {
      this.swapOutRate.set((pagesOut * activity.pageSizeBytes) / seconds);
      samples.push(
        this.sample(
          MemorySample.SWAP_OUT_RATE,
          this.swapOutRate.value,
          MetricUnit.BYTES_PER_SECOND,
          timestamp,
        ),
      );
    }
    return samples;
  }

  /** Takes the list of swap areas (registry only: no samples). */
  updateSwapDevices(devices: readonly SwapDevice[]): void {
    this.swapDevices.begin();
    for (const device of devices) {
      const state = this.swapDevices.get(`${device.device}\u0000${device.type}`, () => {
        const labels = Object.freeze({ [Label.DEVICE]: device.device, [Label.TYPE]: device.type });
        return { labels, size: this.swapDeviceSize.bind(labels), used: this.swapDeviceUsed.bind(labels) };
      });
      state.size.set(device.sizeBytes);
      state.used.set(device.usedBytes);
    }
    this.swapDevices.sweep((state) => {
      this.swapDeviceSize.remove(state.labels);
      this.swapDeviceUsed.remove(state.labels);
    });
  }

  /** performance.now() of the last swap traffic reading (NaN before the first). */
  get lastSwapReadingAt(): number {
    return this.lastSwapAt;
  }

  private sample(
    name: string,
    value: number,
    unit: Unit,
    timestamp: number,
    context?: Readonly<Record<string, unknown>>,
  ): PerformanceMetric {
    return this.record({ name, value, type: MetricType.GAUGE, unit, timestamp, context });
  }
}
