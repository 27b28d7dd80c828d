import { describe, expect, it } from 'vitest';
import { groupingPath } from './grouping-path.js';

describe('groupingPath', () => {
  it('puts job first and the other labels sorted, percent-encoded', () => {
    expect(groupingPath('nightly backup', { zone: 'eu-1', instance: 'host:9100', q: 'a?b#c%' })).toBe(
      '/metrics/job/nightly%20backup/instance/host%3A9100/q/a%3Fb%23c%25/zone/eu-1',
    );
  });

  it('encodes values with a slash as url-safe base64 and empty values as "="', () => {
    const path = groupingPath('jobs/daily', { path: '/var/tmp', empty: '' });
    expect(path).toBe(
      `/metrics/job@base64/${Buffer.from('jobs/daily').toString('base64url')}/empty@base64/=/path@base64/L3Zhci90bXA`,
    );
    // Dot segments would be resolved away by URL parsing (regression: a ".." value vanished).
    expect(groupingPath('j', { a: '.', b: '..', c: '...' })).toBe(
      '/metrics/job/j/a@base64/Lg/b@base64/Li4/c/...',
    );
    expect(new URL(`http://h${groupingPath('j', { b: '..' })}`).pathname).toBe('/metrics/job/j/b@base64/Li4');
    // Unicode goes as UTF-8 bytes, in the url-safe alphabet (no "+" or "/").
    const unicode = groupingPath('j', { name: 'ü/ß?>' });
    const encoded = unicode.split('/').at(-1)!;
    expect(encoded).not.toMatch(/[+/=]/);
    expect(Buffer.from(encoded, 'base64url').toString('utf8')).toBe('ü/ß?>');
  });
});
