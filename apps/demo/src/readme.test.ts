import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../test-support/readme.js';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const rootReadme = fileURLToPath(new URL('../../../README.md', import.meta.url));

describe('root README', () => {
  it('the 30-second example serves the counter and prints the p99', () => {
    // Run from the demo, which depends on every package (as an app of a user's would).
    const run = runReadmeExample(demoDir, 'thirty-seconds', { readme: rootReadme });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('shop_orders_total{country="fr"} 1');
    expect(run.stdout).toMatch(/p99 checkout: 0\.4\d+ s/);
  });
});
