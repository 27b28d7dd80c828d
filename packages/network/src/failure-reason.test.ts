import { connect } from 'node:net';
import { TimeoutError } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../test-support/processes.js';
import { classifyFailure } from './failure-reason.js';

/** An error shaped like the ones Node and undici throw (errno-style `code`). */
const coded = (code: string) => Object.assign(new Error(code), { code });

describe('classifyFailure', () => {
  it('maps errno and undici codes to failure reasons', () => {
    const expected: Record<string, string> = {
      ECONNREFUSED: 'refused',
      ETIMEDOUT: 'timeout',
      UND_ERR_CONNECT_TIMEOUT: 'timeout',
      UND_ERR_HEADERS_TIMEOUT: 'timeout',
      ENOTFOUND: 'dns',
      EAI_AGAIN: 'dns',
      EHOSTUNREACH: 'unreachable',
      ENETUNREACH: 'unreachable',
      ECONNRESET: 'reset',
      UND_ERR_SOCKET: 'reset',
      DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
      SELF_SIGNED_CERT_IN_CHAIN: 'tls',
      CERT_HAS_EXPIRED: 'tls',
      ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
      UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
      ESOMETHINGELSE: 'error',
    };
    for (const [code, reason] of Object.entries(expected))
      expect([code, classifyFailure(coded(code))]).toEqual([code, reason]);
  });

  it('maps fw0 timeouts, aggregate errors and anything else', () => {
    expect(classifyFailure(new TimeoutError('late'))).toBe('timeout');
    expect(classifyFailure(new AggregateError([coded('EHOSTUNREACH'), coded('ECONNREFUSED')]))).toBe(
      'unreachable',
    );
    expect(classifyFailure(new Error('plain'))).toBe('error');
    expect(classifyFailure('a string')).toBe('error');
    expect(classifyFailure(undefined)).toBe('error');
  });

  it('classifies the error of a real refused connection', async () => {
    const port = await freePort();
    const error = await new Promise<unknown>((resolve) => connect(port, '127.0.0.1').once('error', resolve));
    expect(classifyFailure(error)).toBe('refused');
  });
});
