import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { coarseClock } from '@fw0/metrics-core';
import { printComparison, printMachine, Targets } from '../../../bench-support/harness.js';
import { median } from '../../../bench-support/stats.js';
import { benchAccuracy } from './accuracy.js';
import { nodeExporterAtOneHertz } from './node-exporter.js';
import { benchParsers } from './parsers.js';
import {
  cpuWindow,
  type DelayWindow,
  delayWindow,
  excessMaxMs,
  idle,
  pairedDelayWindows,
  turnWindow,
} from './windows.js';
import { oursAtOneHertz, systeminformationAtOneHertz } from './workloads.js';

/** Length of the CPU windows, in seconds (the issue asks for 60; FW0_BENCH_SECONDS shortens a trial run). */
const CPU_SECONDS = Number(process.env.FW0_BENCH_SECONDS ?? 60);
/** Length of the other windows (warm-up, idle, node_exporter, clock), in seconds. */
const SHORT_SECONDS = Math.min(20, CPU_SECONDS);
/** Length of the windows that look for the longest JavaScript turn, in seconds. */
const TURN_SECONDS = Math.min(15, CPU_SECONDS);
/** Pairs of idle and collecting event-loop delay windows, and the length of each window, in seconds. */
const DELAY_PAIRS = 5;
const DELAY_SECONDS = Math.max(2, Math.min(4, CPU_SECONDS / 15));
/** Most a collection may add to the event-loop delay, and the longest turn it may take, in ms. */
const STALL_MS = 2;

printMachine('@fw0/metrics-system benchmarks (pnpm bench)');
const targets = new Targets();

// Ours: the first start reads the inventory with systeminformation (once, spawning lscpu and
// friends) and takes the first baseline; measured apart.
const ours = oursAtOneHertz();
const startup = monitorEventLoopDelay({ resolution: 1 });
startup.enable();
ours.start();
await ours.collector.getHostInfo();
await sleep(2000);
startup.disable();
await ours.stop();
console.log(
  `\nStart-up of continuous collection (first baseline + one-off inventory via systeminformation): max event-loop delay ${(startup.max / 1e6).toFixed(1)} ms`,
);
console.log(
  `Running ${SHORT_SECONDS} s of warm-up, then ${CPU_SECONDS} s of 1 Hz collection for each side, then event-loop windows...`,
);
// The first seconds pay one-time costs: V8 compiling the collection code (a function run once a
// second takes a while to be optimised), and the heap shrinking back after the inventory read
// (V8's memory reducer, two full collections). Measured and printed, but apart from the steady
// rate the target is about.
const oursWarmUp = await cpuWindow(ours, SHORT_SECONDS);
const oursCpu = await cpuWindow(ours, CPU_SECONDS);
const oursSnapshotMs = ours.medianSnapshotMs();
const oursSnapshots = ours.snapshots();
const delays = await pairedDelayWindows(ours, DELAY_PAIRS, DELAY_SECONDS);
const oursTurnMs = await turnWindow(ours, TURN_SECONDS);
await ours.collector.close();

// The same process doing nothing: the floor the collection windows stand on.
const idleCpu = await cpuWindow(idle, SHORT_SECONDS);

const si = systeminformationAtOneHertz();
await si.start();
await sleep(2000); // its first calls fill its caches
await si.stop();
const siCpu = await cpuWindow(si, CPU_SECONDS);
const siSnapshotMs = si.medianSnapshotMs();
const siSnapshots = si.snapshots();
const siDelays: DelayWindow[] = [];
for (let window = 0; window < DELAY_PAIRS; window++) siDelays.push(await delayWindow(si, DELAY_SECONDS));
const siTurnMs = await turnWindow(si, TURN_SECONDS);

const exporter = await nodeExporterAtOneHertz(SHORT_SECONDS);
// The parser microbenchmarks run after every window of ours: millions of parses of other
// inputs first would leave V8 with code and feedback shaped by them (and a larger heap), which
// measurably raised the collection's CPU in the windows that followed.
const parseMicroseconds = await benchParsers();
coarseClock(); // starts core's shared clock timer, for good: measured last
const clockCpu = await cpuWindow(idle, SHORT_SECONDS);

const cpuMs = (window: typeof oursCpu, snapshots: number) =>
  (1000 * (window.ownCpuSeconds + window.childrenCpuSeconds)) / snapshots;
printComparison(
  'One full snapshot at 1 Hz, steady state (CPU, memory, disks, filesystems, interfaces)',
  'ms',
  [
    {
      name: 'wall time per snapshot (median)',
      ours: oursSnapshotMs,
      anchors: { systeminformation: siSnapshotMs, 'node_exporter scrape': exporter.medianScrapeMs },
    },
    {
      name: 'CPU time per snapshot (child processes included)',
      ours: cpuMs(oursCpu, oursSnapshots),
      anchors: {
        systeminformation: cpuMs(siCpu, siSnapshots),
        'node_exporter scrape': exporter.cpuMsPerScrape,
      },
    },
  ],
);
printComparison(
  `${CPU_SECONDS} s of 1 Hz continuous collection, steady state: CPU time as % of one core`,
  '%',
  [
    {
      name: 'whole process + its child processes',
      ours: oursCpu.percentOfOneCore,
      anchors: {
        systeminformation: siCpu.percentOfOneCore,
        'node_exporter (its process)': exporter.percentOfOneCore,
      },
    },
  ],
);
console.log(
  `\nThe first ${SHORT_SECONDS} s of collection after start (one-time JIT compilation of the collection code and the heap shrinking after the inventory read included): ${oursWarmUp.percentOfOneCore.toFixed(3)}% of one core.`,
);
console.log(
  `The same process doing nothing (${SHORT_SECONDS} s, measured the same way): ${idleCpu.percentOfOneCore.toFixed(3)}% of one core;` +
    ` with core's coarse clock running (a 250 ms interval, started by any registry without a clock of its own): ${clockCpu.percentOfOneCore.toFixed(3)}%.`,
);
console.log(
  `Child-process CPU over the window: fw0 ${oursCpu.childrenCpuSeconds.toFixed(2)} s (${oursSnapshots} snapshots), systeminformation ${siCpu.childrenCpuSeconds.toFixed(2)} s (${siSnapshots} snapshots)`,
);

const maxima = (windows: readonly DelayWindow[]) => windows.map((window) => window.maxMs);
const p99s = (windows: readonly DelayWindow[]) => windows.map((window) => window.p99Ms);
const excess = excessMaxMs(delays);
printComparison(
  `Event-loop delay, ${DELAY_PAIRS} windows of ${DELAY_SECONDS} s each (monitorEventLoopDelay, 1 ms resolution; medians over the windows; idle = nothing running, interleaved with ours)`,
  'ms',
  [
    {
      name: 'max delay of a window',
      ours: median(maxima(delays.busy)),
      anchors: { systeminformation: median(maxima(siDelays)), idle: median(maxima(delays.idle)) },
    },
    {
      name: 'p99 delay of a window',
      ours: median(p99s(delays.busy)),
      anchors: { systeminformation: median(p99s(siDelays)), idle: median(p99s(delays.idle)) },
    },
    {
      name: `longest JS turn over ${TURN_SECONDS} s, CPU ms (async_hooks)`,
      ours: oursTurnMs,
      // Nothing runs in the idle process: no turn to time.
      anchors: { systeminformation: siTurnMs, idle: undefined },
    },
  ],
);
const list = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(', ');
console.log(
  `\nPer window, in order (ms): collecting max ${list(maxima(delays.busy))}; p99 ${list(p99s(delays.busy))}`,
);
console.log(
  `                           idle       max ${list(maxima(delays.idle))}; p99 ${list(p99s(delays.idle))}`,
);
console.log(`                           collecting max minus its paired idle max: ${list(excess)}`);
console.log(
  `                           systeminformation max ${list(maxima(siDelays))}; p99 ${list(p99s(siDelays))}`,
);
console.log(
  "\nThe delay rows count every lateness of the monitor's timer, including time the OS gave to other processes and the VM;" +
    ' the idle windows, interleaved with the collecting ones, are that noise floor, and the difference between paired windows is what' +
    " the collection adds. The turn row is the main thread's CPU time in its longest stretch without a break (JavaScript and GC):" +
    ' the longest stall the process can cause by itself.',
);
console.log(`\nSynchronous parsing per 2-CPU collection: ${parseMicroseconds.toFixed(1)} µs in total`);

targets.check(
  'continuous collection at 1 Hz costs <= 0.3% of one core (whole process, steady state)',
  oursCpu.percentOfOneCore <= 0.3,
  `${oursCpu.percentOfOneCore.toFixed(3)}% over ${oursCpu.seconds.toFixed(1)} s (the first ${SHORT_SECONDS} s after start: ${oursWarmUp.percentOfOneCore.toFixed(3)}%; the idle process: ${idleCpu.percentOfOneCore.toFixed(3)}%)`,
);
targets.check(
  '>= 10x less CPU than the equivalent systeminformation loop',
  siCpu.percentOfOneCore / oursCpu.percentOfOneCore >= 10,
  `${siCpu.percentOfOneCore.toFixed(2)}% vs ${oursCpu.percentOfOneCore.toFixed(3)}% = ${(siCpu.percentOfOneCore / oursCpu.percentOfOneCore).toFixed(1)}x`,
);
targets.check(
  `collecting windows show no event-loop stall over ${STALL_MS} ms beyond what idle windows show (max monitorEventLoopDelay, median over ${DELAY_PAIRS} interleaved pairs)`,
  median(excess) <= STALL_MS,
  `median excess ${median(excess).toFixed(2)} ms (per pair: ${list(excess)}); collecting max ${median(maxima(delays.busy)).toFixed(2)} ms, idle max ${median(maxima(delays.idle)).toFixed(2)} ms (medians); systeminformation max ${median(maxima(siDelays)).toFixed(2)} ms`,
);
targets.check(
  `longest JS turn of the collection < ${STALL_MS} ms (main-thread CPU, async_hooks)`,
  oursTurnMs < STALL_MS,
  `${oursTurnMs.toFixed(3)} ms over ${TURN_SECONDS} s; systeminformation: ${siTurnMs.toFixed(2)} ms`,
);
targets.print('@fw0/metrics-system targets');

await benchAccuracy();
