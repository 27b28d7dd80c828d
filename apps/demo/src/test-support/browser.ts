import { type Browser, chromium, type Page } from 'playwright-core';
import { requireBinary } from '../../../../test-support/binaries.js';

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

/** Debian's chromium, driven by playwright-core (no browser download). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: requireBinary('chromium', 'chromium'), args: CHROMIUM_FLAGS });
}

/** What the dashboard exposes for tests as `window.fw0Dashboard`. */
export interface DashboardGlobal {
  readonly state: { readonly frames: number; readonly lastFrame: unknown };
  readonly charts: Record<string, { readonly data: (number | null)[][] }>;
}

/** Frames the page has drawn so far. */
export function framesDrawn(page: Page): Promise<number> {
  return page.evaluate(
    () => (globalThis as unknown as { fw0Dashboard?: DashboardGlobal }).fw0Dashboard?.state.frames ?? 0,
  );
}

/** Waits until the page has drawn at least `count` frames (at most `timeoutMs`). */
export async function waitForFrames(page: Page, count: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    (minimum) =>
      ((globalThis as unknown as { fw0Dashboard?: DashboardGlobal }).fw0Dashboard?.state.frames ?? 0) >=
      minimum,
    count,
    { timeout: timeoutMs },
  );
}

/**
 * Opens the dashboard at `url` in a new page (1400 x 1000) and waits for its first three frames.
 * `errors` collects every uncaught error of the page, for the test to assert there was none.
 */
export async function openDashboard(
  browser: Browser,
  url: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await waitForFrames(page, 3, 30_000);
  return { page, errors };
}
