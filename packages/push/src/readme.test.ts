import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test-support/processes.js';
import { runReadmeExample } from '../../../test-support/readme.js';
import { startPushgateway, type TestPushgateway } from './test-support/remote-stores.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('README examples', () => {
  let gateway: TestPushgateway;
  beforeAll(async () => {
    gateway = await startPushgateway(await freePort());
  });
  afterAll(() => gateway.stop());

  it('remote-write pushes a counter with external labels and stops cleanly', () => {
    const run = runReadmeExample(packageDir, 'remote-write');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('{"__name__":"jobs_processed_total","instance":"worker-1","queue":"emails"} 3\n');
  });

  it('pushgateway pushes a batch job to a real Pushgateway', async () => {
    const run = runReadmeExample(packageDir, 'pushgateway', { env: { PUSHGATEWAY_URL: gateway.url } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('pushed: HTTP 200\n');
    const groups = await gateway.groups();
    const group = groups.find((item) => item.labels.job === 'nightly-etl');
    expect(group?.labels).toEqual({ job: 'nightly-etl', instance: 'etl-host-1' });
    const rows = group?.etl_rows_loaded_total as {
      metrics: { labels: Record<string, string>; value: string }[];
    };
    expect(rows.metrics).toEqual([
      { labels: { instance: 'etl-host-1', job: 'nightly-etl', table: 'orders' }, value: '12345' },
    ]);
    const last = group?.etl_last_success_timestamp_seconds as { metrics: { value: string }[] };
    expect(Math.abs(Number(last.metrics[0]!.value) - Date.now() / 1000)).toBeLessThan(120);
  });
});
