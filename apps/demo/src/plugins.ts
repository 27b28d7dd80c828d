import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Collector, isFw0Error, type Logger, type MetricsRegistry, safeLog } from '@fw0/metrics-core';

/** Packages the demo composes itself (with its own options); every other collector is a plugin. */
const BUILT_IN = new Set([
  '@fw0/metrics-system',
  '@fw0/metrics-app',
  '@fw0/metrics-network',
  '@fw0/metrics-custom',
]);

const require = createRequire(import.meta.url);

/** The collector packages among the demo's dependencies: `"fw0": { "collector": "<factory>" }`. */
export function pluginPackages(): { name: string; factory: string }[] {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const plugins: { name: string; factory: string }[] = [];
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    if (BUILT_IN.has(name)) continue;
    let dependency: { fw0?: { collector?: unknown } };
    try {
      dependency = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'));
    } catch {
      continue;
    }
    const factory = dependency.fw0?.collector;
    if (typeof factory === 'string') plugins.push({ name, factory });
  }
  return plugins;
}

/**
 * Creates and starts every plugin collector into `registry`. A plugin that fails to load or
 * start is logged and left out; the demo runs without it.
 */
export async function startPlugins(registry: MetricsRegistry, logger: Logger): Promise<Collector[]> {
  const started: Collector[] = [];
  for (const { name, factory } of pluginPackages()) {
    try {
      const module = (await import(name)) as Record<string, unknown>;
      const create = module[factory];
      if (typeof create !== 'function')
        throw new TypeError(`${name} declares collector factory ${factory} but does not export it`);
      const collector = (create as (options: { registry: MetricsRegistry }) => Collector)({ registry });
      await collector.start?.();
      started.push(collector);
    } catch (error) {
      safeLog(logger, 'error', `collector plugin ${name} could not start`, {
        error: isFw0Error(error) ? error.message : error,
      });
    }
  }
  return started;
}
