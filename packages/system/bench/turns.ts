import { createHook } from 'node:async_hooks';
import { closeSync, openSync, readSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * Callbacks closer than this (milliseconds) belong to one uninterrupted stretch of the event
 * loop: a macrotask and the microtasks drained right after it.
 */
const SAME_TURN_GAP_MS = 0.005;

/**
 * Measures the longest stretch of main-thread work between two waits of the event loop, in CPU
 * time of the main thread alone. Every callback (timers, I/O completions, promise reactions) is
 * seen through async_hooks; callbacks that follow each other without a gap form one stretch,
 * timed with the main thread's own CPU clock (/proc/thread-self/schedstat, nanoseconds, read
 * with one positioned read of a kept descriptor, about 2 µs). So it counts JavaScript and
 * garbage collection on the main thread, not the time the OS gave other processes (which
 * stretches any wall-clock measurement on a loaded, shared machine) nor the thread pool's and
 * GC helpers' work.
 */
export function startTurnMonitor(): { stop(): number } {
  const fd = openSync('/proc/thread-self/schedstat', 'r');
  const buffer = Buffer.alloc(128);
  const threadCpuNs = () => {
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return Number(buffer.toString('latin1', 0, length).split(' ')[0]);
  };
  let depth = 0;
  let lastEnd = Number.NEGATIVE_INFINITY;
  let turnStart = 0;
  let longest = 0;
  const hook = createHook({
    before() {
      if (depth++ !== 0) return;
      if (performance.now() - lastEnd > SAME_TURN_GAP_MS) turnStart = threadCpuNs();
    },
    after() {
      if (--depth !== 0) return;
      const spent = threadCpuNs() - turnStart;
      if (spent > longest) longest = spent;
      lastEnd = performance.now();
    },
  });
  hook.enable();
  return {
    /** Stops measuring; returns the longest stretch, in milliseconds of main-thread CPU. */
    stop() {
      hook.disable();
      closeSync(fd);
      return longest / 1e6;
    },
  };
}
