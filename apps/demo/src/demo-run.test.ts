import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('pnpm demo -- --duration 5', () => {
  it('runs five seconds, prints the report and exits 0', () => {
    const result = spawnSync('pnpm', ['demo', '--', '--duration', '5', '--port', '0'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const output = result.stdout;
    expect(output).toMatch(/dashboard {2}http:\/\/127\.0\.0\.1:\d+\//);
    // The progress bar (one line a second when not on a terminal), then the report.
    expect(output).toMatch(/\[=+>? *\] +\d+% \d\/5 s/);
    const report = output.slice(output.indexOf('fw0 demo report'));
    expect(report).toMatch(/^fw0 demo report \(5\.\d s\)/);
    for (const timer of ['shop_checkout', 'shop_fetch_prices', 'demo_shop_price_cart']) {
      expect(report).toMatch(new RegExp(`${timer} +calls +\\d+ +p50 +\\d+\\.\\d+ ms +p99 +\\d+\\.\\d+ ms`));
    }
    expect(report).toMatch(/http http:\/\/127\.0\.0\.1:\d+\/health +success 100\.0%/);
    expect(report).toMatch(/tcp 127\.0\.0\.1:\d+ +success 100\.0%/);
    expect(report).toMatch(/cpu \d+\.\d% over \d+ cores, memory used \d+\.\d\d GiB of \d+\.\d\d GiB/);
  }, 300_000);
});
