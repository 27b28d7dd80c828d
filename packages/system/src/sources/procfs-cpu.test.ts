import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLoadavg, roundLoadAverage } from '../parsers/loadavg.js';
import { treeCollector } from '../test-support/collectors.js';
import { sampleKey, scrapeRegistry } from '../test-support/exposition.js';
import { createProcTree, type ProcTree } from '../test-support/fixtures.js';
import { hostLoad, ProcfsCpuSource } from './procfs-cpu.js';

let tree: ProcTree | undefined;
afterEach(() => {
  tree?.remove();
  tree = undefined;
});

/**
 * What the kernel prints in /proc/loadavg for a fixed-point load `avenrun` (11 fractional bits),
 * written after fs/proc/loadavg.c with integers and a string, as printf does it: add
 * FIXED_1/200, then the integer part and two truncated decimals.
 */
function kernelText(avenrun: number): string {
  const x = avenrun + 10;
  const whole = Math.floor(x / 2048);
  const hundredths = Math.floor(((x % 2048) * 100) / 2048);
  return `${whole}.${String(hundredths).padStart(2, '0')}`;
}

describe('load averages', () => {
  it("round sysinfo's fixed-point value exactly as /proc/loadavg prints it (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 26 }), (avenrun) => {
        // sysinfo(2) gives avenrun << 5 in 1/65536 units: the unrounded load libuv falls back to.
        const fromSysinfo = (avenrun * 32) / 65536;
        expect(roundLoadAverage(fromSysinfo)).toBe(Number(kernelText(avenrun)));
      }),
      { numRuns: 2000 },
    );
  });

  it("leave a value read from /proc/loadavg's text unchanged (every two-decimal value)", () => {
    for (let hundredths = 0; hundredths <= 200_000; hundredths++) {
      const text = `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
      if (roundLoadAverage(Number(text)) !== Number(text)) {
        expect(roundLoadAverage(Number(text)), text).toBe(Number(text));
      }
    }
  });

  it('of the host come from os.loadavg() and equal /proc/loadavg read around them', () => {
    // The kernel updates the averages every 5 s: retry until both reads of the file agree.
    for (let attempt = 0; attempt < 20; attempt++) {
      const before = readFileSync('/proc/loadavg', 'latin1');
      const ours = hostLoad();
      const after = readFileSync('/proc/loadavg', 'latin1');
      if (before !== after) continue;
      expect(ours).toEqual(parseLoadavg(before));
      return;
    }
    throw new Error('/proc/loadavg changed between every pair of reads');
  });

  it('of another procPath are read from its loadavg file (a copied /proc, a container)', async () => {
    tree = createProcTree();
    tree.write('loadavg', '12.34 5.60 0.07 3/200 4242\n');
    const source = new ProcfsCpuSource(tree.path);
    expect(await source.readLoad()).toEqual({ load1: 12.34, load5: 5.6, load15: 0.07 });
    const { collector } = treeCollector(tree);
    await collector.collectCpuMetrics();
    expect(scrapeRegistry(collector.registry).get(sampleKey('node_load5'))).toBe(5.6);
    await collector.close();
  });
});
