import { spawn } from 'node:child_process';

/** How a program run to its end finished. */
export interface FinishedProcess {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when it was killed for passing `timeoutMs` (or for `signal`). */
  readonly killed: boolean;
}

/**
 * Runs a program to its end, bounded: past `timeoutMs` (or when `signal` aborts) it is sent
 * SIGTERM by PID, then SIGKILL 5 s later. Output is kept up to 1 MiB per stream.
 */
export function runBounded(
  command: string,
  args: readonly string[],
  options: { timeoutMs: number; cwd?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<FinishedProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      env: options.env ?? process.env,
    });
    const pid = child.pid;
    if (pid === undefined) {
      child.once('error', reject);
      return;
    }
    let stdout = '';
    let stderr = '';
    const limit = 1024 * 1024;
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < limit) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < limit) stderr += chunk.toString('utf8');
    });
    let killed = false;
    let forceTimer: NodeJS.Timeout | undefined;
    const kill = () => {
      if (killed || child.exitCode !== null || child.signalCode !== null) return;
      killed = true;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        return;
      }
      forceTimer = setTimeout(() => {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5000);
    };
    const timer = setTimeout(kill, options.timeoutMs);
    options.signal?.addEventListener('abort', kill, { once: true });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(forceTimer);
      options.signal?.removeEventListener('abort', kill);
      resolve({ pid, code, signal, stdout, stderr, killed });
    });
  });
}
