/**
 * Faults of the push remotes: the remote down (a closed port on 127.0.0.1) and the remote hanging
 * (a server that accepts the connection and never answers), for the Pushgateway client and the
 * remote-write exporter. The pushing side runs in a child process (push.child.ts).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test-support/processes.js';
import type { PushgatewayResult, PushMode, PushScenarioConfig, RemoteWriteResult } from './push.child.js';
import {
  exitProblems,
  readExposition,
  runScenario,
  type SilentServer,
  startSilentServer,
} from './support.js';

const child = fileURLToPath(new URL('./push.child.ts', import.meta.url));

let silent: SilentServer | undefined;
beforeAll(async () => {
  silent = await startSilentServer();
});
afterAll(() => silent?.close());

async function run<T>(mode: PushMode, config: PushScenarioConfig) {
  const scenario = await runScenario<T>(child, [mode, JSON.stringify(config)]);
  expect(exitProblems(scenario)).toEqual([]);
  return { result: scenario.result!, exitAfterResultMs: scenario.exitAfterResultMs };
}

describe('Pushgateway client, remote failing', () => {
  it('remote down: push() reports a RemoteError after its bounded retries, counted, without throwing', async () => {
    const timeoutMs = 1000;
    const { result, exitAfterResultMs } = await run<PushgatewayResult>('pushgateway-down', {
      port: await freePort(),
      timeoutMs,
    });
    const { outcome } = result;
    expect(outcome).toMatchObject({ ok: false, reason: 'network', attempts: result.attempts });
    expect(outcome.status).toBeUndefined();
    expect(outcome.isRemoteError).toBe(true);
    expect(outcome.error?.code).toBe('FW0_REMOTE_FAILED');
    // The attempts were spaced by the backoff (100 then 200 ms), and none waited for a timeout.
    const backoffs = result.retry.initialBackoffMs + result.retry.maxBackoffMs;
    expect(result.pushMs).toBeGreaterThanOrEqual(backoffs - 25);
    expect(result.pushMs).toBeLessThan(backoffs + 1000);
    const exposition = readExposition(result.exposition);
    expect(
      exposition.value('fw0_push_failed_requests_total', { exporter: 'pushgateway', reason: 'network' }),
    ).toBe(result.attempts);
    expect(
      exposition.value('fw0_collector_errors_total', { collector: 'pushgateway', operation: 'push' }),
    ).toBe(1);
    expect(result.logged.map((entry) => entry.isRemoteError)).toEqual([true]);
    console.log(
      `[faults/push] pushgateway down: push() resolved ok=false reason=${outcome.reason} after ${outcome.attempts} attempts in ` +
        `${result.pushMs} ms (backoffs ${backoffs} ms, timeout ${timeoutMs} ms per request); ` +
        `child exited ${exitAfterResultMs} ms after its result`,
    );
  });

  it('remote hanging: push() reports a RemoteError caused by a TimeoutError within attempts x timeout + backoff', async () => {
    const timeoutMs = 600;
    const acceptedBefore = silent!.accepted;
    const { result, exitAfterResultMs } = await run<PushgatewayResult>('pushgateway-hang', {
      port: silent!.port,
      timeoutMs,
    });
    const { outcome } = result;
    expect(outcome).toMatchObject({ ok: false, reason: 'timeout', attempts: result.attempts });
    expect(outcome.isRemoteError).toBe(true);
    expect(outcome.causeIsTimeout).toBe(true);
    const bound = result.attempts * timeoutMs + result.retry.initialBackoffMs;
    expect(result.pushMs).toBeGreaterThanOrEqual(bound - 25);
    expect(result.pushMs).toBeLessThan(bound + 1000);
    const exposition = readExposition(result.exposition);
    expect(
      exposition.value('fw0_push_failed_requests_total', { exporter: 'pushgateway', reason: 'timeout' }),
    ).toBe(result.attempts);
    expect(
      exposition.value('fw0_collector_errors_total', { collector: 'pushgateway', operation: 'push' }),
    ).toBe(1);
    expect(silent!.accepted - acceptedBefore).toBe(result.attempts);
    console.log(
      `[faults/push] pushgateway hanging: push() resolved ok=false reason=${outcome.reason} (RemoteError caused by TimeoutError) ` +
        `after ${outcome.attempts} attempts in ${result.pushMs} ms (bound ${result.attempts} x ${timeoutMs} ms + ` +
        `${result.retry.initialBackoffMs} ms backoff); child exited ${exitAfterResultMs} ms after its result`,
    );
  });
});

describe('remote-write exporter, remote failing', () => {
  it('remote down: retries with backoff, keeps every sample queued, and delivers all of them once the remote is back', async () => {
    const timeoutMs = 1000;
    const { result, exitAfterResultMs } = await run<RemoteWriteResult>('remote-write-down', {
      port: await freePort(),
      timeoutMs,
    });
    const outage = readExposition(result.duringOutage.exposition);
    const failed =
      outage.value('fw0_push_failed_requests_total', { exporter: 'remote_write', reason: 'network' }) ?? 0;
    // Retried, but bounded by the backoff: never more than one attempt per initial backoff.
    expect(failed).toBeGreaterThanOrEqual(2);
    expect(failed).toBeLessThanOrEqual(Math.ceil(result.outageMs / result.retry.initialBackoffMs) + 1);
    expect(outage.value('fw0_push_sent_samples_total', { exporter: 'remote_write' }) ?? 0).toBe(0);
    expect(result.duringOutage.queuedSamples).toBeGreaterThan(0);
    expect(outage.value('fw0_push_queue_samples', { exporter: 'remote_write' })).toBeGreaterThan(0);
    expect(outage.value('fw0_collector_errors_total', { collector: 'remote_write', operation: 'push' })).toBe(
      failed,
    );

    // A flush while the remote is down gives up at its timeout and keeps the queue.
    expect(result.failedFlush.result).toBe(false);
    expect(result.failedFlush.ms).toBeLessThan(result.failedFlush.timeoutMs + 1000);
    // Back up: the flush delivers everything, and stop() the last snapshot.
    expect(result.recoveredFlush!.result).toBe(true);
    expect(result.recoveredFlush!.ms).toBeLessThan(result.recoveredFlush!.timeoutMs);
    expect(result.queuedBeforeStop).toBe(0);
    expect(result.stop.ms).toBeLessThan(result.stop.timeoutMs + 1000);

    // Nothing lost: every snapshot arrived, in order, and every sample taken was sent.
    const snapshots = result.snapshots;
    expect(snapshots).toBeGreaterThanOrEqual(5);
    expect(result.receivedSnapshotValues).toEqual(Array.from({ length: snapshots }, (_, index) => index + 1));
    const end = readExposition(result.exposition);
    expect(end.value('fw0_push_sent_samples_total', { exporter: 'remote_write' })).toBe(
      result.enqueuedSamples,
    );
    expect(result.receivedSamples).toBe(result.enqueuedSamples);
    expect(end.sum('fw0_push_dropped_samples_total', { exporter: 'remote_write' })).toBe(0);
    // Every failure logged is a typed RemoteError; none reached the host.
    expect(result.logged.length).toBe(
      end.sum('fw0_push_failed_requests_total', { exporter: 'remote_write' }),
    );
    expect(result.logged.every((entry) => entry.isRemoteError && entry.code === 'FW0_REMOTE_FAILED')).toBe(
      true,
    );
    console.log(
      `[faults/push] remote-write down for ${result.outageMs} ms (every ${result.intervalMs} ms, backoff ` +
        `${result.retry.initialBackoffMs}-${result.retry.maxBackoffMs} ms): ${failed} failed attempts, ` +
        `${result.duringOutage.queuedSamples} samples queued; flush while down ${result.failedFlush.ms} ms -> false ` +
        `(timeout ${result.failedFlush.timeoutMs} ms); flush after recovery ${result.recoveredFlush!.ms} ms -> true; ` +
        `stop ${result.stop.ms} ms; ${snapshots}/${snapshots} snapshots and ${result.receivedSamples}/${result.enqueuedSamples} ` +
        `samples delivered; child exited ${exitAfterResultMs} ms after its result`,
    );
  });

  it('remote hanging: each request ends at its timeout, flush and stop end within theirs, and every sample not sent is counted as dropped', async () => {
    const timeoutMs = 400;
    const acceptedBefore = silent!.accepted;
    const { result, exitAfterResultMs } = await run<RemoteWriteResult>('remote-write-hang', {
      port: silent!.port,
      timeoutMs,
    });
    const outage = readExposition(result.duringOutage.exposition);
    const failed =
      outage.value('fw0_push_failed_requests_total', { exporter: 'remote_write', reason: 'timeout' }) ?? 0;
    expect(failed).toBeGreaterThanOrEqual(1);
    expect(failed).toBeLessThanOrEqual(Math.ceil(result.outageMs / timeoutMs) + 1);
    expect(result.duringOutage.queuedSamples).toBeGreaterThan(0);

    expect(result.failedFlush.result).toBe(false);
    expect(result.failedFlush.ms).toBeLessThan(result.failedFlush.timeoutMs + 1000);
    expect(result.queuedBeforeStop).toBeGreaterThan(0);
    expect(result.stop.ms).toBeLessThan(result.stop.timeoutMs + 1000);

    // Nothing silently dropped: what was taken is either sent (nothing here) or counted as dropped.
    const end = readExposition(result.exposition);
    const sent = end.value('fw0_push_sent_samples_total', { exporter: 'remote_write' }) ?? 0;
    const dropped = end.sum('fw0_push_dropped_samples_total', { exporter: 'remote_write' });
    const droppedAtShutdown =
      end.value('fw0_push_dropped_samples_total', { exporter: 'remote_write', reason: 'shutdown' }) ?? 0;
    expect(sent).toBe(0);
    expect(droppedAtShutdown).toBeGreaterThanOrEqual(result.queuedBeforeStop);
    expect(sent + dropped).toBe(result.enqueuedSamples);
    expect(end.value('fw0_push_queue_samples', { exporter: 'remote_write' })).toBe(0);
    // Failures logged as RemoteErrors caused by TimeoutErrors.
    const pushErrors = result.logged.filter((entry) => entry.message.includes('push failed'));
    expect(pushErrors.length).toBe(end.sum('fw0_push_failed_requests_total', { exporter: 'remote_write' }));
    expect(pushErrors.every((entry) => entry.isRemoteError && entry.causeIsTimeout)).toBe(true);
    expect(silent!.accepted - acceptedBefore).toBeGreaterThanOrEqual(2);
    console.log(
      `[faults/push] remote-write hanging (request timeout ${timeoutMs} ms): ${failed} timed-out attempts in ${result.outageMs} ms; ` +
        `flush ${result.failedFlush.ms} ms -> false (timeout ${result.failedFlush.timeoutMs} ms); stop ${result.stop.ms} ms ` +
        `(timeout ${result.stop.timeoutMs} ms); ${dropped} of ${result.enqueuedSamples} samples counted as dropped ` +
        `(${droppedAtShutdown} at shutdown, ${result.queuedBeforeStop} were queued); child exited ${exitAfterResultMs} ms after its result`,
    );
  });
});
