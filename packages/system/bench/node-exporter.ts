import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { median } from '../../../bench-support/stats.js';
import { startNodeExporter } from '../src/test-support/node-exporter.js';
import { processCpuSeconds } from './process-cpu.js';

/** What scraping node_exporter once a second costs. */
export interface NodeExporterCost {
  /** Median wall time of one scrape over loopback, in milliseconds. */
  readonly medianScrapeMs: number;
  /** node_exporter's own CPU per scrape, in milliseconds. */
  readonly cpuMsPerScrape: number;
  /** node_exporter's CPU over the window as a percentage of one core. */
  readonly percentOfOneCore: number;
}

/**
 * Starts Debian's node_exporter on loopback (the collectors we mirror, netdev from
 * /proc/net/dev) and scrapes it once a second for `seconds`.
 */
export async function nodeExporterAtOneHertz(seconds: number): Promise<NodeExporterCost> {
  const exporter = await startNodeExporter();
  try {
    for (let i = 0; i < 3; i++) await exporter.scrapeText(); // warm up
    const cpuBefore = processCpuSeconds(exporter.process.pid);
    const started = performance.now();
    const scrapeMs: number[] = [];
    for (let i = 0; i < seconds; i++) {
      const due = started + i * 1000;
      await sleep(Math.max(0, due - performance.now()));
      const scrapeStarted = performance.now();
      await exporter.scrapeText();
      scrapeMs.push(performance.now() - scrapeStarted);
    }
    await sleep(Math.max(0, started + seconds * 1000 - performance.now()));
    const cpu = processCpuSeconds(exporter.process.pid) - cpuBefore;
    const elapsed = (performance.now() - started) / 1000;
    return {
      medianScrapeMs: median(scrapeMs),
      cpuMsPerScrape: (cpu * 1000) / scrapeMs.length,
      percentOfOneCore: (100 * cpu) / elapsed,
    };
  } finally {
    await exporter.stop();
  }
}
