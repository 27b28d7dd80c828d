import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { debugLogger, safeLog } from './logger.js';
import { MetricsRegistry } from './registry.js';

const registryModule = fileURLToPath(new URL('./registry.ts', import.meta.url));
const script = `
  import { MetricsRegistry } from ${JSON.stringify(registryModule)};
  const registry = new MetricsRegistry();
  registry.register({ name: 'broken', getCollectedMetrics: () => [], refresh() { throw new Error('disk gone'); } });
  await registry.collect();
`;

function run(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 20_000,
  });
}

describe('logger', () => {
  it('is refused by a registry when it lacks the three methods (a junk logger would silence everything)', () => {
    for (const logger of [5, 'console', {}, { debug() {}, warn() {} }, () => {}]) {
      expect(() => new MetricsRegistry({ logger: logger as never }), String(logger)).toThrow(ConfigError);
    }
    const logger = { debug() {}, warn() {}, error() {} };
    expect(new MetricsRegistry({ logger }).logger).toBe(logger);
    // null is "not given": the default logger.
    expect(typeof new MetricsRegistry({ logger: null as never }).logger.warn).toBe('function');
  });

  it('is silent by default', () => {
    const result = run({ NODE_DEBUG: '' });
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain('FW0');
  });

  it('says why something failed under NODE_DEBUG=fw0', () => {
    const result = run({ NODE_DEBUG: 'fw0' });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/FW0 \d+: \[error\] collector "broken" failed to refresh/);
    expect(result.stderr).toContain('disk gone');
  });

  it('survives a logger that throws', () => {
    const throwing = {
      debug() {
        throw new Error('x');
      },
      warn() {},
      error() {},
    };
    expect(() => safeLog(throwing, 'debug', 'message')).not.toThrow();
    expect(typeof debugLogger().warn).toBe('function');
  });
});
