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

/** Event-loop delay over a window, in milliseconds. */
export interface StallWindow {
  /** Largest lateness of monitorEventLoopDelay's 1 ms timer: the workload's stalls plus the OS's. */
  readonly maxMs: number;
  /** 99th percentile of that lateness. */
  readonly p99Ms: number;
  /** Longest uninterrupted run of JavaScript callbacks, in CPU time (async_hooks): the stalls the process itself caused. */
  readonly longestTurnMs: number;
}

/**
 * Runs `workload` for `seconds` with monitorEventLoopDelay and the turn monitor on. Kept apart
 * from the CPU window: the 1 ms timer and the hooks cost CPU that would be billed to the workload.
 */
export async function stallWindow(workload: Workload, seconds: number): Promise<StallWindow> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const turns = startTurnMonitor();
  await workload.start();
  histogram.enable();
  await sleep(seconds * 1000);
  histogram.disable();
  const longestTurnMs = turns.stop();
  await workload.stop();
  return { maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, longestTurnMs };
}

/** A workload that does nothing: the noise floor of this machine. */
export const idle: Workload = { start() {}, stop: async () => {} };

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
