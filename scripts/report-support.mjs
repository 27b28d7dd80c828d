// What scripts/bench-report.mjs and scripts/reliability-report.mjs share: the repository root,
// the environment of their child commands, the build first, a command run with its output
// echoed and kept, and the lines that describe the machine at the head of a report.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** No colours and no turbo telemetry: the output goes into a document as printed. */
export const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' };

/** Builds with turbo (`filters`: extra turbo arguments such as `--filter=...`); exits on failure. */
export function buildOrExit(filters = []) {
  const build = spawnSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', ...filters, '--output-logs=errors-only'],
    {
      cwd: root,
      stdio: 'inherit',
      env,
    },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}

/** Runs `command args` in `cwd`, echoing its output; returns it with its status and whole seconds taken. */
export function runEchoed(cwd, command, args) {
  const began = Date.now();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return { ...result, seconds: Math.round((Date.now() - began) / 1000) };
}

/** The machine as it was when a report started: read once, before any part runs. */
export function machineAtStart() {
  return { started: new Date(), load: loadavg() };
}

/** The Date, Machine, Runtime and Command lines of a report's header. */
export function machineLines({ started, load }, command) {
  const cpu = cpus();
  return [
    `- Date: ${started.toISOString()}`,
    `- Machine: ${cpu[0]?.model ?? 'unknown CPU'} x ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average at start ${load
      .map((value) => value.toFixed(2))
      .join(' ')}`,
    `- Runtime: Node ${process.version}`,
    `- Command: ${command}`,
  ];
}
