import type { DashboardFrame } from './frame-types.js';

const BAR_WIDTH = 30;

/** `[=====>      ] 40% 2/5 s` */
export function progressBar(elapsedSeconds: number, totalSeconds: number): string {
  const ratio = Math.min(1, Math.max(0, elapsedSeconds / totalSeconds));
  const filled = Math.round(ratio * BAR_WIDTH);
  const bar = `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(BAR_WIDTH - filled)}`;
  return `[${bar}] ${String(Math.round(ratio * 100)).padStart(3)}% ${Math.min(elapsedSeconds, totalSeconds).toFixed(0)}/${totalSeconds} s`;
}

const ms = (seconds: number | null | undefined) =>
  seconds == null || !Number.isFinite(seconds) ? '-' : `${(seconds * 1000).toFixed(2)} ms`;
const percent = (value: number | null | undefined) => (value == null ? '-' : `${value.toFixed(1)}%`);
const gib = (bytes: number | null | undefined) =>
  bytes == null ? '-' : `${(bytes / 2 ** 30).toFixed(2)} GiB`;

/** One compact line for the live view. */
export function liveLine(frame: DashboardFrame): string {
  const slowest = [...frame.timers].sort((a, b) => b.p99 - a.p99)[0];
  const up = frame.probes.filter((probe) => probe.success).length;
  return [
    `cpu ${percent(frame.cpu.overall)}`,
    `mem ${gib(frame.memory.usedBytes)}`,
    slowest ? `${slowest.name} p99 ${ms(slowest.p99)}` : 'no timers yet',
    `probes ${up}/${frame.probes.length} up`,
    `loop p99 ${ms(frame.runtime.eventLoopP99Seconds)}`,
  ].join(' | ');
}

/** The report printed when a timed run ends. */
export function finalReport(frame: DashboardFrame | undefined, runSeconds: number): string {
  if (frame === undefined) return `fw0 demo report: no frame was produced in ${runSeconds.toFixed(1)} s`;
  const lines = [`fw0 demo report (${runSeconds.toFixed(1)} s)`, '', 'Top timers (sliding window)'];
  const timers = [...frame.timers].sort((a, b) => b.count - a.count).slice(0, 8);
  if (timers.length === 0) lines.push('  (none)');
  for (const timer of timers) {
    lines.push(
      `  ${timer.name.padEnd(36)} calls ${String(timer.count).padStart(7)}  p50 ${ms(timer.p50).padStart(10)}  p99 ${ms(timer.p99).padStart(10)}`,
    );
  }
  lines.push('', 'Probes');
  if (frame.probes.length === 0) lines.push('  (none)');
  for (const probe of frame.probes) {
    lines.push(
      `  ${`${probe.kind} ${probe.target}`.padEnd(44)} success ${(probe.successRatio * 100).toFixed(1).padStart(5)}%  last ${ms(probe.durationSeconds)}`,
    );
  }
  lines.push(
    '',
    'Host',
    `  cpu ${percent(frame.cpu.overall)} over ${frame.cpu.cores.length} cores, memory used ${gib(frame.memory.usedBytes)} of ${gib(frame.memory.totalBytes)}`,
    `  disk ${((frame.disk.readBytesPerSecond ?? 0) / 2 ** 20).toFixed(2)} MiB/s read, ${((frame.disk.writeBytesPerSecond ?? 0) / 2 ** 20).toFixed(2)} MiB/s written; network ${((frame.network.receiveBytesPerSecond ?? 0) / 1024).toFixed(1)} KiB/s in, ${((frame.network.transmitBytesPerSecond ?? 0) / 1024).toFixed(1)} KiB/s out`,
    `  event loop p99 ${ms(frame.runtime.eventLoopP99Seconds)}, utilisation ${percent(frame.runtime.utilization == null ? null : frame.runtime.utilization * 100)}`,
  );
  return lines.join('\n');
}
