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

  it('an interface that never carried a byte fills no buffer with zero rates, until its first packet', async () => {
    tree = createProcTree();
    const header = 'Inter-| a\n face | b\n';
    const line = (name: string, bytes: number) =>
      `  ${name}: ${bytes} ${bytes > 0 ? 1 : 0} 0 0 0 0 0 0 ${bytes} ${bytes > 0 ? 1 : 0} 0 0 0 0 0 0\n`;
    tree.write('net/dev', header + line('eth0', 1000) + line('ifb0', 0));
    const { collector } = treeCollector(tree);
    await collector.collectNetworkMetrics();
    tree.write('net/dev', header + line('eth0', 5000) + line('ifb0', 0));
    const quiet = await collector.collectNetworkMetrics();
    expect(new Set(quiet.map((sample) => sample.tags.device))).toEqual(new Set(['eth0']));
    // Still in the registry, counters and rates at 0, as node_exporter shows it.
    const scraped = scrapeRegistry(collector.registry);
    expect(scraped.get(sampleKey('node_network_receive_bytes_total', { device: 'ifb0' }))).toBe(0);
    expect(scraped.get(sampleKey('system_network_receive_bytes_per_second', { device: 'ifb0' }))).toBe(0);
    tree.write('net/dev', header + line('eth0', 9000) + line('ifb0', 300));
    const busy = await collector.collectNetworkMetrics();
    const ifb = busy.filter((sample) => sample.tags.device === 'ifb0');
    expect(ifb).toHaveLength(8);
    expect(
      ifb.find((sample) => sample.name === 'system_network_receive_bytes_per_second')!.value,
    ).toBeGreaterThan(0);
    // And from then on, its quiet intervals are samples too (0 is now news).
    const after = await collector.collectNetworkMetrics();
    expect(after.filter((sample) => sample.tags.device === 'ifb0')).toHaveLength(8);
    await collector.close();
  });
});
