import type { ResolvedOptions } from '../options.js';
import { createProcfsSources } from './procfs-sources.js';
import { createSystemInformationSources } from './systeminformation-sources.js';
import type { SystemSources } from './types.js';

/** The sources the options ask for: `auto` is /proc on Linux, systeminformation elsewhere. No I/O here. */
export function createSources(options: ResolvedOptions): SystemSources {
  const linux = process.platform === 'linux';
  const kind = options.source === 'auto' ? (linux ? 'procfs' : 'systeminformation') : options.source;
  return kind === 'systeminformation' ? createSystemInformationSources() : createProcfsSources(options);
}
