/**
 * Shutdown with work in flight: a child process (shutdown.child.ts) runs system continuous
 * collection, probes of targets that never answer, a push pending against a remote that never
 * answers, a push to a real receiver, app timers and custom metrics on one registry, then calls
 * every documented stop/close while that work is in flight. Every stop must end within its bound,
 * nothing recorded before the stop may be lost, and the process must then exit by itself (code 0,
 * no process.exit) within 10 s, or the test stops it by PID and fails.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exitProblems,
  type FullBacklogListener,
  type RemoteWriteReceiver,
  readExposition,
  runScenario,
  type SilentServer,
  startFullBacklogListener,
  startRemoteWriteReceiver,
  startSilentServer,
} from '../faults/support.js';
import type { ShutdownConfig, ShutdownResult } from './shutdown.child.js';

const child = fileURLToPath(new URL('./shutdown.child.ts', import.meta.url));
const EXIT_WITHIN_MS = 10_000;

let silent: SilentServer | undefined;
let backlog: FullBacklogListener | undefined;
let receiver: RemoteWriteReceiver | undefined;

beforeAll(async () => {
  silent = await startSilentServer();
  backlog = await startFullBacklogListener();
  receiver = await startRemoteWriteReceiver();
});

afterAll(async () => {
  await silent?.close();
  await backlog?.stop();
  await receiver?.close();
});

describe('shutdown with work in flight', () => {
  it('every stop ends within its bound, nothing recorded before it is lost, and the process exits by itself', async () => {
    const config: ShutdownConfig = {
      silentOrigin: silent!.origin,
      backlogPort: backlog!.port,
      receiverUrl: receiver!.url,
    };
    const run = await runScenario<ShutdownResult>(child, [JSON.stringify(config)], { killAfterMs: 60_000 });
    expect(exitProblems(run, EXIT_WITHIN_MS)).toEqual([]);
    const result = run.result!;

    // The work really was in flight when the stops were called.
    const { inFlight } = result;
    expect(inFlight.systemCollecting).toBe(true);
    expect(inFlight.systemRuns).toBeGreaterThanOrEqual(1);
    expect(inFlight.probeFirstRoundDone).toBe(false);
    expect(inFlight.hangingSentSamples).toBe(0);
    expect(inFlight.appCallsDone).toBe(5);
    expect(result.probeFirstRoundDoneAfterStop).toBe(true);
    expect(silent!.accepted).toBeGreaterThanOrEqual(2); // the probe's and the pending push's connections

    // Each stop within its bound (+1 s of slack for a loaded machine).
    for (const stop of result.stops) expect(stop.ms, stop.name).toBeLessThan(stop.boundMs + 1000);

    const final = readExposition(result.finalExposition);
    // push: the final flush on stop() delivered what was set just before it, to the real receiver.
    const markers = receiver!.find('shutdown_marker').map((sample) => sample.value);
    expect(markers).toContain(42);
    expect(receiver!.find('shutdown_jobs_total').at(-1)?.value).toBe(8);
    expect(final.sum('fw0_push_dropped_samples_total', { exporter: 'rw_receiver' })).toBe(0);
    expect(receiver!.samples.length).toBe(result.receiverSentSamples);
    // The hanging remote's samples were not silently lost: counted as dropped at shutdown.
    expect(final.value('fw0_push_sent_samples_total', { exporter: 'rw_hanging' }) ?? 0).toBe(0);
    expect(
      final.value('fw0_push_dropped_samples_total', { exporter: 'rw_hanging', reason: 'shutdown' }),
    ).toBeGreaterThan(0);
    expect(final.value('fw0_push_queue_samples', { exporter: 'rw_hanging' })).toBe(0);

    // app: the calls done before the stop and those still running at it are all counted and drained.
    expect(final.value('shutdown_work_calls_total', { outcome: 'success' })).toBe(8);
    expect(final.value('shutdown_work_duration_seconds_count', { outcome: 'success' })).toBe(8);
    expect(result.drained.app!.shutdownWork).toBe(8);
    // The three running at the stop were timed to their end (1.5 s each), not cut short.
    expect(final.value('shutdown_work_duration_seconds_sum', { outcome: 'success' })).toBeGreaterThanOrEqual(
      3 * 1.5 - 0.1,
    );
    // custom: every increment is in the final snapshot.
    expect(final.value('shutdown_jobs_total')).toBe(8);

    // system: one memory sample per finished run, all in the final drain.
    const systemRuns = final.value('fw0_task_duration_seconds_count', { task: 'system' }) ?? 0;
    expect(systemRuns).toBeGreaterThanOrEqual(inFlight.systemRuns);
    expect(result.drained.system!.node_memory_MemTotal_bytes).toBe(systemRuns);
    expect(final.sum('fw0_task_errors_total', { task: 'system' })).toBe(0);

    // network: the probes in flight at the stop ended by their timeout and were recorded.
    for (const [kind, target] of [
      ['http', 'silent'],
      ['tcp', 'backlog'],
    ] as const) {
      const attempts = final.value('probe_attempts_total', { kind, target }) ?? 0;
      expect(attempts, `${kind} ${target}`).toBeGreaterThanOrEqual(1);
      expect(final.value('probe_failures_total', { kind, target, reason: 'timeout' })).toBe(attempts);
      expect(final.value('probe_success', { kind, target })).toBe(0);
    }

    // Stopped means stopped: nothing ran in the 500 ms after the final snapshot.
    expect(result.later.systemRuns).toBe(systemRuns);
    expect(result.later.probeAttempts).toBe(
      (final.value('probe_attempts_total', { kind: 'http', target: 'silent' }) ?? 0) +
        (final.value('probe_attempts_total', { kind: 'tcp', target: 'backlog' }) ?? 0),
    );

    console.log(
      `[shutdown] with work in flight (system every 100 ms, ${inFlight.systemRuns} runs; probes started ${inFlight.probesStartedMsAgo} ms earlier, ` +
        `timeout 2500 ms; ${inFlight.hangingQueuedSamples} samples queued for a hanging remote; 3 app calls running): ` +
        `${result.stops.map((stop) => `${stop.name} ${stop.ms} ms (bound ${stop.boundMs} ms)`).join(', ')}; ` +
        `all stopped in ${result.allStoppedMs} ms; final push delivered marker 42 and ${result.receiverSentSamples} samples in all; ` +
        `8/8 app calls, ${systemRuns}/${systemRuns} system runs drained; child exited ${run.exitAfterResultMs} ms after its result ` +
        `(bound ${EXIT_WITHIN_MS} ms), exit code ${run.exitCode}`,
    );
  });
});
