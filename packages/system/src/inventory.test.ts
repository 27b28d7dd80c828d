import { arch, availableParallelism, hostname, platform, release, totalmem } from 'node:os';
import { MetricsRegistry } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/processes.js';
import { HOST_INFO } from './names.js';
import { SystemMetricsCollector } from './system-collector.js';
import { labelSetsOf, scrapeRegistry } from './test-support/exposition.js';

describe('host inventory', () => {
  it('is read once on start and exposed as system_host_info, matching what Node says', async () => {
    const collector = new SystemMetricsCollector({ registry: new MetricsRegistry(), collectionInterval: 10 });
    collector.startContinuousCollection();
    await waitFor(
      'system_host_info',
      () => labelSetsOf(scrapeRegistry(collector.registry), HOST_INFO).length === 1,
      {
        timeoutMs: 20_000,
      },
    );
    await collector.stopContinuousCollection();
    const [labels] = labelSetsOf(scrapeRegistry(collector.registry), HOST_INFO);
    expect(labels).toMatchObject({
      cpu_cores: String(availableParallelism()),
      os_platform: platform(),
      kernel: release(),
      arch: arch(),
      hostname: hostname(),
    });
    expect(labels!.cpu_model).not.toBe('');
    const info = await collector.getHostInfo();
    expect(info?.memoryTotalBytes).toBe(totalmem());
    // Kept: a second call gives the same object without reading again.
    expect(await collector.getHostInfo()).toBe(info);
    await collector.close();
  }, 30_000);
});
