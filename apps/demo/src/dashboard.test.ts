/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardFrame } from './frame-types.js';
import {
  type DashboardGlobal,
  framesDrawn,
  launchChromium,
  openDashboard,
  waitForFrames,
} from './test-support/browser.js';
import { type RunningDemo, startDemo } from './test-support/demo-process.js';

/** Where the screenshot goes: apps/demo/.artifacts/dashboard.png (gitignored, left after the run). */
export const SCREENSHOT = fileURLToPath(new URL('../.artifacts/dashboard.png', import.meta.url));

/** The panels every dashboard has, besides one `phases <target>` chart per HTTP probe. */
const PANEL_CHARTS = ['business', 'cpu', 'disk', 'memory', 'network', 'runtime', 'timers'];

interface ChartState {
  readonly labels: string[];
  /** Points per series (x axis excluded), and how many of them are numbers. */
  readonly points: number[];
  readonly numbers: number[];
}

function readCharts(page: Page): Promise<Record<string, ChartState>> {
  return page.evaluate(() => {
    const all = (
      globalThis as unknown as {
        fw0Dashboard: { charts: Record<string, { data: (number | null)[][]; labels: string[] }> };
      }
    ).fw0Dashboard.charts;
    return Object.fromEntries(
      Object.entries(all).map(([name, chart]) => [
        name,
        {
          labels: chart.labels,
          points: chart.data.slice(1).map((column) => column.length),
          numbers: chart.data
            .slice(1)
            .map(
              (column) =>
                column.filter((value) => typeof value === 'number' && Number.isFinite(value)).length,
            ),
        },
      ]),
    );
  });
}

const lastFrame = (page: Page) =>
  page.evaluate(
    () =>
      (globalThis as unknown as { fw0Dashboard: DashboardGlobal }).fw0Dashboard.state
        .lastFrame as DashboardFrame,
  );

interface PhaseBlock {
  readonly target: string;
  readonly title: string;
  readonly barWidth: number;
  readonly parts: { readonly phase: string; readonly width: number }[];
}

/** Every HTTP phase block on the page: its target, title and the drawn widths of its bar. */
function readPhaseBlocks(page: Page): Promise<PhaseBlock[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#phase-charts .probe-phases')].map((block) => {
      const bar = block.querySelector<HTMLElement>('.bar')!;
      return {
        target: block.dataset.target ?? '',
        title: block.querySelector('h3')?.textContent ?? '',
        barWidth: bar.getBoundingClientRect().width,
        parts: [...bar.querySelectorAll<HTMLElement>('span')].map((part) => ({
          phase: part.dataset.phase ?? '',
          width: part.getBoundingClientRect().width,
        })),
      };
    }),
  );
}

/** The gauges table: name and the number behind each row. */
function readGauges(page: Page): Promise<{ name: string; value: number; text: string }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#gauges tr')].map((row) => {
      const cell = row.querySelector<HTMLElement>('td:last-child')!;
      return {
        name: row.dataset.name ?? '',
        value: Number(cell.dataset.value),
        text: cell.textContent ?? '',
      };
    }),
  );
}

describe('the live dashboard in headless Chromium', () => {
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo();
  }, 90_000);
  afterAll(async () => {
    await demo?.stop();
  });

  it('draws every chart with live data, one phase breakdown per HTTP probe, and live gauges', async () => {
    const browser = await launchChromium();
    try {
      const { page, errors } = await openDashboard(browser, demo.url);
      // Live: more frames arrive while we watch.
      await waitForFrames(page, (await framesDrawn(page)) + 2, 15_000);
      // Let the probes and rates fill in, then read every chart's data.
      await page.waitForTimeout(3000);
      const frame = await lastFrame(page);
      const httpTargets = frame.probes.filter((probe) => probe.kind === 'http').map((probe) => probe.target);
      expect(httpTargets.length).toBeGreaterThanOrEqual(1);
      const charts = await readCharts(page);
      expect(Object.keys(charts).sort()).toEqual(
        [...PANEL_CHARTS, ...httpTargets.map((target) => `phases ${target}`)].sort(),
      );
      for (const [name, chart] of Object.entries(charts)) {
        expect(chart.labels.length, name).toBeGreaterThan(0);
        // Every chart drew data: at least one series has several numbers.
        expect(Math.max(...chart.numbers), name).toBeGreaterThanOrEqual(3);
      }
      // CPU per core: one series per core plus the total, all drawn.
      expect(charts.cpu!.numbers.every((points) => points >= 3)).toBe(true);
      // Timers: p50 and p99 of the shop's timers.
      expect(charts.timers!.labels.length).toBeGreaterThanOrEqual(4);
      // Disk and network: every series exists and is a number at every frame since the first
      // reading (an idle device reads 0, which is a value, not a gap)...
      for (const name of ['disk', 'network']) {
        const chart = charts[name]!;
        expect(chart.labels, name).toEqual(name === 'disk' ? ['read', 'written'] : ['received', 'sent']);
        for (const [i, numbers] of chart.numbers.entries()) {
          expect(numbers, `${name} ${chart.labels[i]}`).toBeGreaterThanOrEqual(3);
          // At most the first frame (before two readings exist) is a gap.
          expect(chart.points[i]! - numbers, `${name} ${chart.labels[i]}`).toBeLessThanOrEqual(1);
        }
      }

      // HTTP phases: one block per HTTP probe, each with a chart and a bar whose parts fill it.
      const blocks = await readPhaseBlocks(page);
      expect(blocks.map((block) => block.target).sort()).toEqual([...httpTargets].sort());
      for (const block of blocks) {
        expect(block.title.startsWith(block.target), block.target).toBe(true);
        expect(block.parts.map((part) => part.phase)).toEqual([
          'resolve',
          'connect',
          'tls',
          'processing',
          'transfer',
        ]);
        const drawn = block.parts.reduce((sum, part) => sum + part.width, 0);
        expect(block.barWidth, block.target).toBeGreaterThan(50);
        // The shares fill the bar (sub-pixel rounding aside)...
        expect(Math.abs(drawn - block.barWidth), block.target).toBeLessThan(1.5);
        // ...and the server's processing time is a visible part of every probe.
        expect(block.parts.find((part) => part.phase === 'processing')!.width, block.target).toBeGreaterThan(
          0,
        );
        const chart = charts[`phases ${block.target}`]!;
        expect(chart.labels).toEqual(['resolve', 'connect', 'tls', 'processing', 'transfer']);
        expect(Math.min(...chart.numbers), block.target).toBeGreaterThanOrEqual(3);
      }
      const probes = await page.locator('#probes li').allTextContents();
      expect(probes.some((text) => /^http http:\/\/127\.0\.0\.1:\d+\/health.*up/.test(text))).toBe(true);
      expect(probes.some((text) => /^tcp 127\.0\.0\.1:\d+.*up/.test(text))).toBe(true);

      // Gauges: the shop's, the shop-api pool stats and the heap, as numbers that move.
      const gauges = await readGauges(page);
      const names = gauges.map((gauge) => gauge.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'shop_checkouts_in_flight',
          'undici_pool_connected{name="shop-api"}',
          'undici_pool_free{name="shop-api"}',
          'nodejs_heap_size_used_bytes',
        ]),
      );
      for (const gauge of gauges) {
        expect(Number.isFinite(gauge.value), gauge.name).toBe(true);
        expect(gauge.text, gauge.name).toMatch(/\d/);
      }
      expect(
        gauges.find((gauge) => gauge.name === 'undici_pool_connected{name="shop-api"}')!.value,
      ).toBeGreaterThan(0);
      const first = new Map(gauges.map((gauge) => [gauge.name, gauge.value]));
      await page.waitForFunction(
        (before) =>
          [...document.querySelectorAll<HTMLElement>('#gauges tr')].some((row) => {
            const cell = row.querySelector<HTMLElement>('td:last-child');
            const name = row.dataset.name ?? '';
            return name in before && Number(cell?.dataset.value) !== before[name];
          }),
        Object.fromEntries(first),
        { timeout: 15_000 },
      );

      // Disk and network keep updating: the series grow frame by frame.
      await waitForFrames(page, (await framesDrawn(page)) + 2, 15_000);
      const later = await readCharts(page);
      for (const name of ['disk', 'network'])
        expect(Math.min(...later[name]!.numbers), name).toBeGreaterThan(Math.min(...charts[name]!.numbers));

      expect(await page.locator('#status').textContent()).toBe('live');
      expect(errors).toEqual([]);
      mkdirSync(fileURLToPath(new URL('../.artifacts/', import.meta.url)), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    } finally {
      await browser.close();
    }
  }, 120_000);
});
