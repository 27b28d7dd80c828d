import { describe, expect, it } from 'vitest';
import { parseWrkOutput, WrkOutputError, wrkErrors } from './wrk.js';

const CLEAN = `Running 5s test @ http://127.0.0.1:44471/metrics
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.26ms    5.70ms 106.28ms   95.52%
    Req/Sec   408.22     68.96   474.00     94.00%
  Latency Distribution
     50%    8.83ms
     75%   10.93ms
     90%   12.75ms
     99%   33.28ms
  2038 requests in 5.02s, 839.76MB read
Requests/sec:    406.30
Transfer/sec:    167.42MB
`;

const FAILING = `Running 8s test @ http://127.0.0.1:40000/metrics
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   812.40us    1.20s    1.99s    88.00%
    Req/Sec    12.00      3.00    20.00     70.00%
  Latency Distribution
     50%  812.40us
     75%    1.20s
     90%    1.50s
     99%    1.99s
  96 requests in 8.01s, 1.20KB read
  Socket errors: connect 2, read 3, write 0, timeout 40
  Non-2xx or 3xx responses: 7
Requests/sec:     11.99
Transfer/sec:     153.40B
`;

describe('wrk --latency report', () => {
  it('reads requests, rate, latency percentiles in ms and bytes', () => {
    const result = parseWrkOutput(CLEAN);
    expect(result.requests).toBe(2038);
    expect(result.durationSeconds).toBeCloseTo(5.02, 6);
    expect(result.requestsPerSecond).toBeCloseTo(406.3, 6);
    expect(result.latencyMs).toEqual({
      mean: 10.26,
      stdev: 5.7,
      max: 106.28,
      p50: 8.83,
      p75: 10.93,
      p90: 12.75,
      p99: 33.28,
    });
    expect(result.bytesRead).toBeCloseTo(839.76 * 1024 * 1024, 0);
    expect(result.transferBytesPerSecond).toBeCloseTo(167.42 * 1024 * 1024, 0);
    expect(result.socketErrors).toEqual({ connect: 0, read: 0, write: 0, timeout: 0 });
    expect(result.non2xx).toBe(0);
    expect(wrkErrors(result)).toBe(0);
  });

  it('counts socket errors and non-2xx responses; converts us and s', () => {
    const result = parseWrkOutput(FAILING);
    expect(result.socketErrors).toEqual({ connect: 2, read: 3, write: 0, timeout: 40 });
    expect(result.non2xx).toBe(7);
    expect(wrkErrors(result)).toBe(52);
    expect(result.latencyMs.p50).toBeCloseTo(0.8124, 9);
    expect(result.latencyMs.p99).toBeCloseTo(1990, 9);
    expect(result.bytesRead).toBeCloseTo(1.2 * 1024, 6);
    expect(result.transferBytesPerSecond).toBeCloseTo(153.4, 6);
  });

  it('refuses output that is not a complete report with a typed error', () => {
    expect(() => parseWrkOutput('')).toThrow(WrkOutputError);
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused\n')).toThrow(
      /no Latency line/,
    );
    // Without --latency there is no distribution.
    const withoutDistribution = CLEAN.replace(/ {2}Latency Distribution[\s\S]*?99%.*\n/, '');
    expect(() => parseWrkOutput(withoutDistribution)).toThrow(/no 50% latency line/);
    expect(() => parseWrkOutput(CLEAN.replace('Requests/sec:    406.30\n', ''))).toThrow(/Requests\/sec/);
    expect(() => parseWrkOutput(CLEAN.replace('8.83ms', '8.83parsecs'))).toThrow(WrkOutputError);
  });
});
