import { InvalidNameError, validateMetricName } from '@fw0/metrics-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memberName, toExposedName } from './metric-name.js';
import { TimerSuffix } from './names.js';

describe('toExposedName', () => {
  it.each([
    ['UserService.getUser', 'user_service_get_user'],
    ['HTTPServer.handleRequest', 'http_server_handle_request'],
    ['getHTTP2Client', 'get_http2_client'],
    ['checkout', 'checkout'],
    ['checkout_latency', 'checkout_latency'],
    ['db query!', 'db_query'],
    ['Ünïcode.méthod', 'unicode_method'],
    ['Cache.[Symbol.iterator]', 'cache_symbol_iterator'],
    ['anonymous.#secret', 'anonymous_secret'],
    ['__proto__', 'proto'],
    ['2fa.verify', '_2fa_verify'],
    ['a:b', 'a_b'],
  ])('maps %j to %j', (name, exposed) => {
    expect(toExposedName(name)).toBe(exposed);
  });

  it('rejects names with nothing to build a metric name from', () => {
    for (const bad of ['', '   ', '...', '!!!', 42 as unknown as string, undefined as unknown as string]) {
      expect(() => toExposedName(bad)).toThrow(InvalidNameError);
    }
    expect(() => toExposedName('...')).toThrow(/"\.\.\."/);
  });

  it('rejects a name too long for its longest suffix', () => {
    expect(() => toExposedName('a'.repeat(300))).toThrow(InvalidNameError);
    const longest = 200 - TimerSuffix.EXTERNAL_DELTA.length;
    expect(toExposedName('a'.repeat(longest))).toHaveLength(longest);
  });

  it('always gives a valid metric name with every suffix, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60, unit: 'binary' }), (name) => {
        let exposed: string;
        try {
          exposed = toExposedName(name);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidNameError);
          return;
        }
        for (const suffix of Object.values(TimerSuffix)) validateMetricName(exposed + suffix);
        expect(exposed).toMatch(/^[a-z_][a-z0-9_]*$/);
        expect(exposed).not.toMatch(/__/);
        expect(toExposedName(exposed)).toBe(exposed);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('memberName', () => {
  it('names class members the seed way', () => {
    expect(memberName('UserService', 'getUser')).toBe('UserService.getUser');
    expect(memberName('', 'run')).toBe('anonymous.run');
    expect(memberName('Cache', Symbol.iterator)).toBe('Cache.[Symbol.iterator]');
    expect(memberName('Cache', Symbol())).toBe('Cache.[symbol]');
  });
});
