import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../test-support/readme.js';
import { parseExposition } from './exposition/parse.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('README examples', () => {
  it('quick-start prints quantiles and valid Prometheus text', () => {
    const run = runReadmeExample(packageDir, 'quick-start');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [first, ...rest] = run.stdout.split('\n');
    const match = /^p50=(\d\.\d{3}) p99=(\d\.\d{3})$/.exec(first!);
    expect(match).not.toBeNull();
    // Four values, nearest rank: the median is the second (0.020 s), p99 the largest (0.250 s).
    expect(Math.abs(Number(match![1]) - 0.02)).toBeLessThanOrEqual(0.0011);
    expect(Number(match![2])).toBe(0.25);
    const parsed = parseExposition(rest.join('\n'));
    const requests = parsed.families.find((family) => family.name === 'http_requests_total')!;
    expect(requests.samples[0]).toMatchObject({ labels: { method: 'GET', route: '/users' }, value: 1 });
    const count = parsed.families
      .find((family) => family.name === 'http_request_duration_seconds')!
      .samples.find((s) => s.name.endsWith('_count'));
    expect(count?.value).toBe(4);
  });

  it('serve answers OpenMetrics over HTTP', () => {
    const run = runReadmeExample(packageDir, 'serve');
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
      'queue_length 3',
    ]);
  });

  it('collector samples in the background and refreshes before a snapshot', () => {
    const run = runReadmeExample(packageDir, 'collector');
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('samples >= 2: true, gauge: 2');
  });

  it('read-hook writes the value kept outside at each read, until removed', () => {
    const run = runReadmeExample(packageDir, 'read-hook');
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n')).toEqual(['jobs_in_flight 3', '1', '1']);
  });
});
