/**
 * Collectors of the user's that fail inside the registry: a refresh that throws, one that rejects
 * and one that never resolves, beside healthy collectors. The registry runs in a child process
 * (registry.child.ts), collected directly and scraped over HTTP.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RegistryScenarioResult } from './registry.child.js';
import { exitProblems, readExposition, runScenario } from './support.js';

const child = fileURLToPath(new URL('./registry.child.ts', import.meta.url));

describe('a registry with failing collectors', () => {
  it('collects and serves a scrape within the collect timeout, counts each failure, and keeps the healthy series', async () => {
    const run = await runScenario<RegistryScenarioResult>(child, []);
    expect(exitProblems(run)).toEqual([]);
    const result = run.result!;
    const timeoutMs = result.collectTimeoutMs;
    expect(result.collectors).toEqual(['throwing', 'rejecting', 'hanging', 'healthy', 'custom']);

    // Each collect waits for the hanging refresh until the timeout, and no longer.
    for (const collect of result.collects) {
      expect(collect.ms).toBeGreaterThanOrEqual(timeoutMs - 25);
      expect(collect.ms).toBeLessThan(timeoutMs + 1000);
    }
    expect(result.scrape.status).toBe(200);
    expect(result.scrape.contentType).toMatch(/^text\/plain/);
    expect(result.scrape.ms).toBeLessThan(timeoutMs + 1000);

    const snapshots = [...result.collects.map((collect) => collect.exposition), result.scrape.text];
    snapshots.forEach((text, index) => {
      const exposition = readExposition(text);
      const rounds = index + 1;
      expect(
        exposition.value('fw0_collector_errors_total', { collector: 'throwing', operation: 'refresh' }),
      ).toBe(rounds);
      expect(
        exposition.value('fw0_collector_errors_total', { collector: 'rejecting', operation: 'refresh' }),
      ).toBe(rounds);
      expect(exposition.value('fw0_collector_timeouts_total', { collector: 'hanging' })).toBe(rounds);
      // Nothing else failed or timed out.
      expect(
        exposition
          .samples('fw0_collector_errors_total')
          .map((sample) => sample.labels.collector)
          .sort(),
      ).toEqual(['rejecting', 'throwing']);
      expect(
        exposition.samples('fw0_collector_timeouts_total').map((sample) => sample.labels.collector),
      ).toEqual(['hanging']);
      // The healthy collectors' series are all there, refreshed on every round.
      expect(exposition.value('faults_healthy_refreshes')).toBe(rounds);
      expect(exposition.value('faults_orders_total', { region: 'eu' })).toBe(3);
      expect(exposition.value('faults_queue_length')).toBe(7);
      expect(exposition.value('faults_checkout_seconds_count')).toBe(1);
      expect(exposition.has('fw0_collector_refresh_duration_seconds')).toBe(true);
      // A late refresh shows at least the timeout as its duration (core's README): it is late, not
      // fast; the ones that threw or rejected show theirs too.
      expect(
        exposition.value('fw0_collector_refresh_duration_seconds', { collector: 'hanging' }),
      ).toBeGreaterThanOrEqual((timeoutMs - 25) / 1000);
      for (const collector of ['throwing', 'rejecting', 'healthy'])
        expect(
          exposition.value('fw0_collector_refresh_duration_seconds', { collector }),
          collector,
        ).toBeLessThan(timeoutMs / 1000);
    });
    // A refresh still hanging is not called again (no pile-up); the others run every round.
    expect(result.refreshCalls).toEqual({ throwing: 3, rejecting: 3, hanging: 1, healthy: 3 });

    console.log(
      `[faults/registry] collect timeout ${timeoutMs} ms: registry.collect ${result.collects.map((c) => `${c.ms} ms`).join(', ')}; ` +
        `HTTP scrape ${result.scrape.ms} ms (status ${result.scrape.status}); after 3 rounds errors throwing=3 rejecting=3, ` +
        `timeouts hanging=3 (its refresh called once); healthy series present every round; ` +
        `child exited ${run.exitAfterResultMs} ms after its result`,
    );
  });
});
