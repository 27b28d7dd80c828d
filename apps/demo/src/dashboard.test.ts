import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../../../test-support/binaries.js';
import { type RunningDemo, startDemo } from './test-support/demo-process.js';

/** Where the screenshot goes (a CI artifact): apps/demo/.artifacts/dashboard.png */
export const SCREENSHOT = fileURLToPath(new URL('../.artifacts/dashboard.png', import.meta.url));

/** Headless Chromium for a closed network: no background connections, no GPU, a fresh profile. */
const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface ChartState {
  readonly series: number;
  /** Non-null points per series (x axis excluded). */
  readonly points: number[];
}

describe('the live dashboard in headless Chromium', () => {
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo();
  }, 90_000);
  afterAll(async () => {
    await demo?.stop();
  });

  it('draws every chart with live data and updates every second', async () => {
    const browser = await chromium.launch({
      executablePath: requireBinary('chromium', 'chromium'),
      args: CHROMIUM_FLAGS,
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(demo.url);
      const frames = () =>
        page.evaluate(
          () =>
            (globalThis as unknown as { fw0Dashboard: { state: { frames: number } } }).fw0Dashboard.state
              .frames,
        );
      await page.waitForFunction(
        () =>
          ((globalThis as unknown as { fw0Dashboard?: { state: { frames: number } } }).fw0Dashboard?.state
            .frames ?? 0) >= 3,
        undefined,
        {
          timeout: 30_000,
        },
      );
      // Live: more frames arrive while we watch.
      const before = await frames();
      await page.waitForFunction(
        (count) =>
          (globalThis as unknown as { fw0Dashboard: { state: { frames: number } } }).fw0Dashboard.state
            .frames >=
          count + 2,
        before,
        {
          timeout: 15_000,
        },
      );
      // Let the probes and rates fill in, then read every chart's data.
      await page.waitForTimeout(3000);
      const charts = (await page.evaluate(() => {
        const all = (
          globalThis as unknown as { fw0Dashboard: { charts: Record<string, { data: (number | null)[][] }> } }
        ).fw0Dashboard.charts;
        return Object.fromEntries(
          Object.entries(all).map(([name, chart]) => [
            name,
            {
              series: chart.data.length - 1,
              points: chart.data.slice(1).map((column) => column.filter((value) => value !== null).length),
            },
          ]),
        );
      })) as Record<string, ChartState>;
      expect(Object.keys(charts).sort()).toEqual([
        'business',
        'cpu',
        'disk',
        'memory',
        'network',
        'phases',
        'runtime',
        'timers',
      ]);
      for (const [name, chart] of Object.entries(charts)) {
        expect(chart.series, name).toBeGreaterThan(0);
        // Every chart drew data: at least one series has several points.
        expect(Math.max(...chart.points), name).toBeGreaterThanOrEqual(3);
      }
      // CPU per core: one series per core plus the total, all drawn.
      expect(charts.cpu!.points.every((points) => points >= 3)).toBe(true);
      // Timers: p50 and p99 of the shop's timers.
      expect(charts.timers!.series).toBeGreaterThanOrEqual(4);
      const probes = await page.locator('#probes li').allTextContents();
      expect(probes.some((text) => /^http http:\/\/127\.0\.0\.1:\d+\/health.*up/.test(text))).toBe(true);
      expect(await page.locator('#status').textContent()).toBe('live');
      expect(errors).toEqual([]);
      mkdirSync(fileURLToPath(new URL('../.artifacts/', import.meta.url)), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    } finally {
      await browser.close();
    }
  }, 120_000);
});
