import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../test-support/readme.js';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const rootReadme = fileURLToPath(new URL('../../../README.md', import.meta.url));

describe('root README', () => {
  it('the 30-second example composes the four collectors into one /metrics', () => {
    // Run from the demo, which depends on every package (as an app of a user's would).
    const run = runReadmeExample(demoDir, 'thirty-seconds', { readme: rootReadme });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toEqual([
      'node_cpu_seconds_total{cpu="0",mode="idle"} <value>',
      expect.stringMatching(
        /^probe_success\{kind="http",target="http:\/\/127\.0\.0\.1:\d+\/metrics"\} <value>$/,
      ),
      'checkout_calls_total{outcome="success"} <value>',
      'orders_total{country="fr"} <value>',
      'revenue_eur_sum{country="fr"} <value>',
    ]);
  });
});
