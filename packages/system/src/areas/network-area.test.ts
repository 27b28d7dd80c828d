import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NETWORK_COUNTERS } from '../names.js';
import { parseNetDev } from '../parsers/net-dev.js';
import { treeCollector } from '../test-support/collectors.js';
import { sampleKey, scrapeRegistry } from '../test-support/exposition.js';
import { createProcTree, type ProcTree, readFixture } from '../test-support/fixtures.js';

let tree: ProcTree;
afterEach(() => tree?.remove());

const devicesOf = (keys: Iterable<string>) =>
  [...keys]
    .filter((key) => key.startsWith('node_network_receive_bytes_total{'))
    .map((key) => /device="([^"]*)"/.exec(key)![1])
    .sort();

describe('network interfaces', () => {
  it("exposes node_exporter's 16 counters per interface, the loopback left out by default", async () => {
    tree = createProcTree();
    tree.copy('net/dev', 'captured', 'proc', 'net', 'dev');
    const { collector } = treeCollector(tree);
    await collector.collectNetworkMetrics();
    const scraped = scrapeRegistry(collector.registry);
    const interfaces = parseNetDev(readFixture('captured', 'proc', 'net', 'dev'));
    expect(devicesOf(scraped.keys())).toEqual(
      interfaces
        .map((item) => item.device)
        .filter((name) => name !== 'lo')
        .sort(),
    );
    for (const item of interfaces.filter((entry) => entry.device !== 'lo')) {
      NETWORK_COUNTERS.forEach((name, column) => {
        expect(scraped.get(sampleKey(name, { device: item.device }))).toBe(item.counters[column]);
      });
    }
    await collector.close();
  });

  it('handles a 32-bit wrap, a re-created interface and a 64-bit counter: never a negative rate', async () => {
    tree = createProcTree();
    tree.copy('net/dev', 'counter-wrap', 'net-dev-1');
    const { collector } = treeCollector(tree);
    await collector.collectNetworkMetrics();
    tree.copy('net/dev', 'counter-wrap', 'net-dev-2');
    const samples = await collector.collectNetworkMetrics();
    const scraped = scrapeRegistry(collector.registry);
    const counter = (device: string) =>
      scraped.get(sampleKey('node_network_receive_bytes_total', { device }));
    expect(counter('eth0')).toBe(4294966296 + 1704);
    expect(counter('veth0')).toBe(500000 + 1000);
    expect(counter('eth1')).toBe(9007199254001000);
    const rate = (device: string) =>
      samples.find(
        (sample) =>
          sample.name === 'system_network_receive_bytes_per_second' && sample.tags.device === device,
      );
    // Same window: 1,704 bytes across the wrap against 1,000 on the 64-bit counter.
    expect(rate('eth0')!.value / rate('eth1')!.value).toBeCloseTo(1.704, 10);
    // The re-created interface has no rate for this interval rather than a negative one.
    expect(rate('veth0')).toBeUndefined();
    for (const sample of samples) expect(sample.value).toBeGreaterThanOrEqual(0);
    await collector.close();
  });

  it('filters by name and drops virtual interfaces on request; a vanished interface is forgotten', async () => {
    tree = createProcTree();
    tree.copy('net/dev', 'counter-wrap', 'net-dev-1');
    mkdirSync(join(tree.path, 'sys', 'devices', 'virtual', 'net', 'veth0'), { recursive: true });
    const virtualOut = treeCollector(tree, { excludeVirtualInterfaces: true });
    await virtualOut.collector.collectNetworkMetrics();
    expect(devicesOf(scrapeRegistry(virtualOut.collector.registry).keys())).toEqual(['eth0', 'eth1']);
    await virtualOut.collector.close();

    const named = treeCollector(tree, { networkDeviceInclude: /^eth/, networkDeviceExclude: /1$/ });
    await named.collector.collectNetworkMetrics();
    expect(devicesOf(scrapeRegistry(named.collector.registry).keys())).toEqual(['eth0']);
    await named.collector.close();

    const all = treeCollector(tree);
    await all.collector.collectNetworkMetrics();
    tree.write('net/dev', readFixture('counter-wrap', 'net-dev-2').replace(/^ *veth0:.*\n/m, ''));
    await all.collector.collectNetworkMetrics();
    expect(devicesOf(scrapeRegistry(all.collector.registry).keys())).toEqual(['eth0', 'eth1']);
    await all.collector.close();
  });
});
