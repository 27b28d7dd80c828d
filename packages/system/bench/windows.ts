import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { settledHeap } from '../../../bench-support/harness.js';
import { childrenCpuSeconds, ownCpuSeconds } from './process-cpu.js';
import { startTurnMonitor } from './turns.js';

/** Something that runs in the background between `start` and `stop`. */
export interface Workload {
  start(): void | Promise<void>;
  stop(): Promise<void>;
}

/** CPU used by a workload over a window. */
export interface CpuWindow {
  /** Wall-clock length of the window, in seconds. */
  readonly seconds: number;
  /** CPU seconds of this process (user + system). */
  readonly ownCpuSeconds: number;
  /** CPU seconds of the child processes it spawned and waited for. */
  readonly childrenCpuSeconds: number;
  /** Both, as a percentage of one core over the window. */
  readonly percentOfOneCore: number;
}

/**
 * Runs `workload` for `seconds` and measures the CPU it used, children included. A full garbage
 * collection first, so that no clean-up owed to earlier work (V8's memory reducer runs a few
 * seconds after the heap grew) is billed to this window.
 */
export async function cpuWindow(workload: Workload, seconds: number): Promise<CpuWindow> {
  settledHeap();
  await sleep(1000);
  const ownBefore = ownCpuSeconds();
  const childrenBefore = childrenCpuSeconds();
  const started = performance.now();
  await workload.start();
  await sleep(seconds * 1000);
  await workload.stop();
  const elapsed = (performance.now() - started) / 1000;
  const own = ownCpuSeconds() - ownBefore;
  const children = childrenCpuSeconds() - childrenBefore;
  return {
    seconds: elapsed,
    ownCpuSeconds: own,
    childrenCpuSeconds: children,
    percentOfOneCore: (100 * (own + children)) / elapsed,
  };
}

/** Event-loop delay over one window, in milliseconds. */
export interface DelayWindow {
  /** Largest lateness of monitorEventLoopDelay's 1 ms timer: the workload's stalls plus the OS's and the VM's. */
  readonly maxMs: number;
  /** 99th percentile of that lateness. */
  readonly p99Ms: number;
}

/**
 * Event-loop delay over `seconds` (monitorEventLoopDelay, 1 ms resolution), with `workload`
 * running when given (started before the histogram, stopped after it: its start and stop are
 * not in the window).
 */
export async function delayWindow(workload: Workload | undefined, seconds: number): Promise<DelayWindow> {
  await workload?.start();
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await sleep(seconds * 1000);
  histogram.disable();
  await workload?.stop();
  return { maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6 };
}

/** Idle and collecting windows measured in pairs. */
export interface PairedDelays {
  readonly idle: readonly DelayWindow[];
  readonly busy: readonly DelayWindow[];
}

/**
 * `pairs` pairs of windows of `seconds` each, one with nothing running and one with `workload`
 * running, interleaved (idle first in even pairs, busy first in odd ones), so both kinds see the
 * same machine: whatever the OS, the hypervisor and the other builds do to the event loop lands
 * in both alike, and what the workload adds is the difference.
 */
export async function pairedDelayWindows(
  workload: Workload,
  pairs: number,
  seconds: number,
): Promise<PairedDelays> {
  const idle: DelayWindow[] = [];
  const busy: DelayWindow[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    if (pair % 2 === 0) {
      idle.push(await delayWindow(undefined, seconds));
      busy.push(await delayWindow(workload, seconds));
    } else {
      busy.push(await delayWindow(workload, seconds));
      idle.push(await delayWindow(undefined, seconds));
    }
  }
  return { idle, busy };
}

/** How much longer each busy window's largest delay was than its paired idle window's, in ms. */
export function excessMaxMs(delays: PairedDelays): number[] {
  return delays.busy.map((window, index) => window.maxMs - delays.idle[index]!.maxMs);
}

/**
 * The longest uninterrupted stretch of main-thread work (JavaScript and garbage collection, in
 * main-thread CPU milliseconds) while `workload` runs for `seconds`: the stall the process
 * itself causes, whatever the machine adds. Kept apart from the delay windows: its hooks cost
 * a little on every callback.
 */
export async function turnWindow(workload: Workload, seconds: number): Promise<number> {
  await workload.start();
  const turns = startTurnMonitor();
  await sleep(seconds * 1000);
  const longestTurnMs = turns.stop();
  await workload.stop();
  return longestTurnMs;
}

/** A workload that does nothing: the noise floor of this machine. */
export const idle: Workload = { start() {}, stop: async () => {} };
