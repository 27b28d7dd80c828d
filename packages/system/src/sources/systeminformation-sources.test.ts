import { MetricsRegistry } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { CpuSample, DiskMetric, FilesystemMetric } from '../names.js';
import { SystemMetricsCollector } from '../system-collector.js';
import { labelSetsOf, sampleKey, scrapeRegistry } from '../test-support/exposition.js';

const collectorOf = (source: 'procfs' | 'systeminformation') =>
  new SystemMetricsCollector({
    registry: new MetricsRegistry(),
    source,
    inventory: false,
    minRateWindowMs: 100,
  });

describe('the systeminformation fallback (run here on Linux, behind the same interface)', () => {
  it('reports what /proc reports, where the platform tells', async () => {
    const fallback = collectorOf('systeminformation');
    const procfs = collectorOf('procfs');
    expect(fallback.sourceKind).toBe('systeminformation');
    await procfs.collectAllSystemMetrics();
    const before = scrapeRegistry(procfs.registry);
    const samples = await fallback.collectAllSystemMetrics();
    await procfs.collectAllSystemMetrics();
    const after = scrapeRegistry(procfs.registry);
    const theirs = scrapeRegistry(fallback.registry);

    const memTotal = sampleKey('node_memory_MemTotal_bytes');
    expect(theirs.get(memTotal)).toBe(after.get(memTotal));
    for (const labels of labelSetsOf(after, FilesystemMetric.SIZE)) {
      expect(theirs.get(sampleKey(FilesystemMetric.SIZE, labels)), labels.mountpoint).toBe(
        after.get(sampleKey(FilesystemMetric.SIZE, labels)),
      );
    }
    // systeminformation measures the interfaces its networkInterfaces() lists (those with an address).
    const interfaces = labelSetsOf(theirs, 'node_network_receive_bytes_total');
    expect(interfaces.length).toBeGreaterThan(0);
    for (const labels of interfaces) {
      const key = sampleKey('node_network_receive_bytes_total', labels);
      expect(theirs.get(key)!, labels.device).toBeGreaterThanOrEqual(before.get(key)!);
      expect(theirs.get(key)!, labels.device).toBeLessThanOrEqual(after.get(key)!);
      // Packet counts are not among what systeminformation reports: absent, not 0.
      expect(theirs.has(sampleKey('node_network_receive_packets_total', labels))).toBe(false);
    }
    expect(theirs.get(sampleKey(DiskMetric.READS_COMPLETED, { device: 'total' }))).toBeGreaterThan(0);
    const overall = samples.find((sample) => sample.name === CpuSample.UTILIZATION)!;
    expect(overall.value).toBeGreaterThanOrEqual(0);
    expect(overall.value).toBeLessThanOrEqual(100);
    expect(samples.filter((sample) => sample.name === CpuSample.CORE_UTILIZATION).length).toBe(
      labelSetsOf(after, 'system_cpu_core_utilization_ratio').length,
    );
    await Promise.all([fallback.close(), procfs.close()]);
  }, 30_000);
});
