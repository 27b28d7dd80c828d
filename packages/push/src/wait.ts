/**
 * Resolves after `ms` milliseconds (at once for 0 or less). Its timer is unref'd: waiting never
 * keeps the process alive by itself (callers that must hold the process hold their own timer).
 */
export function wait(ms: number): Promise<void> {
  if (!(ms > 0)) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 2_147_483_647)).unref());
}

/**
 * Holds the process alive for up to `ms` milliseconds (a ref'd timer), until `release()`: what
 * a caller awaiting a flush expects, while background work keeps nothing alive.
 */
export function holdProcess(ms: number): { release(): void } {
  const timer = setTimeout(() => {}, Math.max(0, Math.min(ms, 2_147_483_647)));
  return { release: () => clearTimeout(timer) };
}
