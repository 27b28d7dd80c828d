/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../../test-support/processes.js';
import type { DashboardFrame } from './frame-types.js';
import { type DashboardGlobal, launchChromium, openDashboard } from './test-support/browser.js';
import { type RunningDemo, startDemo } from './test-support/demo-process.js';

/** Probe target labels that would run code or add elements if the page inserted them as HTML. */
const HOSTILE_HTTP = `<img src=x onerror="window.__pwned=1">`;
const HOSTILE_TCP = `</script><script>window.__pwned=2</script>"'&amp;<b>bold</b>`;

describe('the dashboard shows hostile text as text', () => {
  const directory = temporaryDirectory('fw0-demo-hostile');
  let server: Server;
  let demo: RunningDemo;
  beforeAll(async () => {
    // The probed service: a loopback server the test owns.
    server = createServer((_request, response) => response.end('ok\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const config = `${directory.path}/hostile.json`;
    writeFileSync(
      config,
      JSON.stringify({
        probes: [
          {
            kind: 'http',
            url: `http://127.0.0.1:${port}/`,
            target: HOSTILE_HTTP,
            intervalMs: 1000,
            timeoutMs: 500,
          },
          { kind: 'tcp', host: '127.0.0.1', port, target: HOSTILE_TCP, intervalMs: 1000, timeoutMs: 500 },
        ],
      }),
    );
    demo = await startDemo(['--config', config, '--no-workload']);
  }, 90_000);
  afterAll(async () => {
    await demo?.stop();
    await new Promise((resolve) => server?.close(resolve));
    directory.remove();
  });

  it('creates no element and runs no script from a probe target label, and shows it literally', async () => {
    const browser = await launchChromium();
    try {
      const { page, errors } = await openDashboard(browser, demo.url);
      // The hostile labels did reach the page: they are in the frames it drew.
      const frame = (await page.evaluate(
        () => (globalThis as unknown as { fw0Dashboard: DashboardGlobal }).fw0Dashboard.state.lastFrame,
      )) as DashboardFrame;
      expect(frame.probes.map((probe) => probe.target)).toEqual(
        expect.arrayContaining([HOSTILE_HTTP, HOSTILE_TCP]),
      );

      const seen = await page.evaluate(() => ({
        pwned: (globalThis as unknown as { __pwned?: unknown }).__pwned,
        // Nothing of the labels became an element: the page has no <img>, <b> or extra <script>.
        injected: document.querySelectorAll('img, b').length,
        scripts: [...document.scripts].map((script) => script.getAttribute('src')),
        probes: [...document.querySelectorAll('#probes li .target')].map((item) => item.textContent),
        blocks: [...document.querySelectorAll<HTMLElement>('#phase-charts .probe-phases')].map((block) => ({
          target: block.dataset.target,
          title: block.querySelector('h3')?.textContent ?? '',
        })),
      }));
      expect(seen.pwned).toBeUndefined();
      expect(seen.injected).toBe(0);
      expect(seen.scripts).toEqual(['/assets/uplot.js', '/assets/dashboard.js']);
      expect(seen.probes).toEqual(expect.arrayContaining([`http ${HOSTILE_HTTP}`, `tcp ${HOSTILE_TCP}`]));
      const block = seen.blocks.find((item) => item.target === HOSTILE_HTTP);
      expect(block?.title.startsWith(HOSTILE_HTTP)).toBe(true);
      expect(await page.locator('#status').textContent()).toBe('live');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
