import { MetricsRegistry, parseExposition } from '@fw0/metrics-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test-support/processes.js';
import {
  type PushgatewayGroup,
  startPushgateway,
  type TestPushgateway,
} from '../test-support/remote-stores.js';
import { pushStats, recordingLogger } from '../test-support/self-metrics.js';
import { PushgatewayClient } from './client.js';

type GroupFamily = {
  type: string;
  metrics: { labels: Record<string, string>; value?: string; count?: string; sum?: string }[];
};

/** The family `name` of a group, failing the test if it is missing. */
function family(group: PushgatewayGroup | undefined, name: string): GroupFamily {
  const found = group?.[name] as GroupFamily | undefined;
  if (found === undefined) throw new Error(`the group has no family ${name}: ${JSON.stringify(group)}`);
  return found;
}

describe('PushgatewayClient against a real Pushgateway (Debian prometheus-pushgateway 1.5)', () => {
  let gateway: TestPushgateway;
  beforeAll(async () => {
    gateway = await startPushgateway(await freePort());
  });
  afterAll(() => gateway.stop());

  const group = async (labels: Record<string, string>) =>
    (await gateway.groups()).find(
      (item) =>
        JSON.stringify(Object.entries(item.labels).sort()) === JSON.stringify(Object.entries(labels).sort()),
    );

  it('push (PUT) puts the snapshot in the group of the job and grouping labels', async () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: 'etl_records_total', help: 'Records loaded.' }).add(42, { stage: 'load' });
    const duration = registry.histogram({ name: 'etl_step_seconds', unit: 'seconds', buckets: [1, 10] });
    for (const seconds of [0.5, 4, 20]) duration.observe(seconds);
    const client = new PushgatewayClient({
      url: gateway.url,
      registry,
      job: 'nightly-etl',
      groupingLabels: { instance: 'worker-1' },
    });
    const result = await client.push();
    expect(result).toMatchObject({ ok: true, operation: 'push', status: 200, attempts: 1 });

    const stored = await group({ job: 'nightly-etl', instance: 'worker-1' });
    expect(stored?.last_push_successful).toBe(true);
    const records = family(stored, 'etl_records_total');
    expect(records.type).toBe('COUNTER');
    expect(records.metrics).toEqual([
      { labels: { instance: 'worker-1', job: 'nightly-etl', stage: 'load' }, value: '42' },
    ]);
    const steps = family(stored, 'etl_step_seconds');
    expect(steps.type).toBe('HISTOGRAM');
    expect(steps.metrics[0]).toMatchObject({ count: '3', sum: '24.5' });

    const text = parseExposition(await gateway.metricsText());
    const sample = text.families
      .find((family) => family.name === 'etl_records_total')
      ?.samples.find((item) => item.labels.instance === 'worker-1');
    expect(sample?.value).toBe(42);
    expect(pushStats(registry, 'pushgateway').sent).toBeGreaterThan(0);
  });

  it('pushAdd (POST) keeps metrics of other names; push (PUT) replaces the whole group', async () => {
    const first = new MetricsRegistry();
    first.gauge({ name: 'report_rows' }).set(10);
    const second = new MetricsRegistry();
    second.gauge({ name: 'report_errors' }).set(2);
    const labels = { job: 'report', shard: '3' };
    const one = new PushgatewayClient({
      url: gateway.url,
      registry: first,
      job: 'report',
      groupingLabels: { shard: 3 },
    });
    const two = new PushgatewayClient({
      url: gateway.url,
      registry: second,
      job: 'report',
      groupingLabels: { shard: 3 },
    });
    expect((await one.push()).ok).toBe(true);
    expect((await two.pushAdd()).ok).toBe(true);
    let stored = await group(labels);
    expect(family(stored, 'report_rows').metrics[0]?.value).toBe('10');
    expect(family(stored, 'report_errors').metrics[0]?.value).toBe('2');

    second.gauge({ name: 'report_errors' }).set(5);
    expect((await two.push()).ok).toBe(true);
    stored = await group(labels);
    expect(stored?.report_rows).toBeUndefined();
    expect(family(stored, 'report_errors').metrics[0]?.value).toBe('5');
  });

  it('delete (DELETE) removes only its group', async () => {
    const registry = new MetricsRegistry();
    registry.gauge({ name: 'cleanup_files' }).set(1);
    const client = new PushgatewayClient({ url: gateway.url, registry, job: 'cleanup' });
    expect((await client.push({ host: 'a' })).ok).toBe(true);
    expect((await client.push({ host: 'b' })).ok).toBe(true);
    const result = await client.delete({ host: 'a' });
    expect(result).toMatchObject({ ok: true, operation: 'delete', status: 202 });
    expect(await group({ job: 'cleanup', host: 'a' })).toBeUndefined();
    expect(await group({ job: 'cleanup', host: 'b' })).toBeDefined();
  });

  it('sends values with "/", empty values and Unicode in the grouping key intact (base64 where needed)', async () => {
    const registry = new MetricsRegistry();
    registry.gauge({ name: 'backup_bytes', unit: 'bytes' }).set(1024);
    const labels = { path: '/var/lib/data', empty: '', name: 'ü ß?#%&', dots: '..' };
    const client = new PushgatewayClient({
      url: gateway.url,
      registry,
      job: 'backups/daily',
      groupingLabels: labels,
    });
    expect(client.groupUrl()).toContain('/metrics/job@base64/');
    expect((await client.push()).ok).toBe(true);
    const stored = await group({ job: 'backups/daily', ...labels });
    expect(family(stored, 'backup_bytes').metrics[0]).toMatchObject({ value: '1024' });
    expect((await client.delete()).ok).toBe(true);
    expect(await group({ job: 'backups/daily', ...labels })).toBeUndefined();
  });

  it('resolves a refused push as a failure result, counted and logged, never thrown', async () => {
    const counters = new MetricsRegistry();
    counters.counter({ name: 'conflict_total' }).add(1);
    const gauges = new MetricsRegistry();
    gauges.gauge({ name: 'conflict_total' }).set(1);
    const logger = recordingLogger();
    expect(
      (await new PushgatewayClient({ url: gateway.url, registry: counters, job: 'conflict-a' }).push()).ok,
    ).toBe(true);
    const client = new PushgatewayClient({ url: gateway.url, registry: gauges, job: 'conflict-b', logger });
    const result = await client.push();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(400);
    expect(result.reason).toBe('http_4xx');
    expect(result.message).toContain('inconsistent with existing metrics');
    const stats = pushStats(gauges, 'pushgateway');
    expect(stats.failed('http_4xx')).toBe(1);
    expect(
      (gauges.self.collectorErrors as { get(labels: object): number | undefined }).get({
        collector: 'pushgateway',
        operation: 'push',
      }),
    ).toBe(1);
    expect(
      logger.lines.some(
        (line) =>
          line.level === 'error' &&
          String((line.fields as { error: Error }).error.message).includes('HTTP 400'),
      ),
    ).toBe(true);
  });
});
