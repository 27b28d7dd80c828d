import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { UsageError } from './usage-error.js';

/**
 * A probe of the demo's configuration. Intervals and timeouts in milliseconds; `target` is the
 * `target` label (default: the URL, or `host:port`).
 */
export type ProbeConfig =
  | {
      readonly kind: 'http';
      readonly url: string;
      readonly intervalMs: number;
      readonly timeoutMs: number;
      readonly target?: string;
    }
  | {
      readonly kind: 'tcp';
      readonly host: string;
      readonly port: number;
      readonly intervalMs: number;
      readonly timeoutMs: number;
      readonly target?: string;
    };

/** Most probes a configuration may list (each is a timer and a connection a second or so). */
export const MAX_PROBES = 100;

/** Longest `target` label of a probe, in UTF-16 code units. */
export const MAX_TARGET_LABEL = 200;

/** Most filler series `--extra-series` / `extraSeries` may ask for. */
export const MAX_EXTRA_SERIES = 1_000_000;

/** Everything the demo can be told to do. */
export interface DemoConfig {
  readonly host: string;
  readonly port: number;
  /** Cluster workers running the workload (0: in the main process). */
  readonly workers: number;
  readonly system: { readonly enabled: boolean; readonly intervalSeconds: number };
  /**
   * Runtime health. `intervalMs`: length of an event-loop window (undefined: a window ends at
   * each collection, i.e. each scrape and each dashboard frame).
   */
  readonly runtime: { readonly enabled: boolean; readonly intervalMs?: number | undefined };
  readonly workload: { readonly enabled: boolean; readonly requestsPerSecond: number };
  /** Extra probes, besides those of the demo's own target server. */
  readonly probes: readonly ProbeConfig[];
  /** Filler series (`demo_extra_series{shard}`) for load tests: how many (0 to 1,000,000). */
  readonly extraSeries: number;
}

/** A configuration given partly (file or flags). */
export type PartialDemoConfig = {
  readonly [K in keyof DemoConfig]?: DemoConfig[K] extends readonly unknown[]
    ? DemoConfig[K]
    : DemoConfig[K] extends object
      ? Partial<DemoConfig[K]>
      : DemoConfig[K];
};

export function defaultConfig(): DemoConfig {
  return {
    host: '127.0.0.1',
    port: 9464,
    workers: 0,
    system: { enabled: true, intervalSeconds: 1 },
    runtime: { enabled: true },
    workload: { enabled: true, requestsPerSecond: 20 },
    probes: [],
    extraSeries: 0,
  };
}

export function mergeConfig(base: DemoConfig, extra: PartialDemoConfig): DemoConfig {
  return {
    host: extra.host ?? base.host,
    port: extra.port ?? base.port,
    workers: extra.workers ?? base.workers,
    system: { ...base.system, ...extra.system },
    runtime: { ...base.runtime, ...extra.runtime },
    workload: { ...base.workload, ...extra.workload },
    probes: extra.probes ?? base.probes,
    extraSeries: extra.extraSeries ?? base.extraSeries,
  };
}

type Json = unknown;

/** A host name as the network collector takes it: letters, digits, `-`, `_` and dots. */
const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9_.])?$/;

/**
 * True for an IP address or a host name (no lookup is made). `brackets`: an IPv6 address may be
 * written `[::1]`, as probe hosts may; a listening address may not.
 */
export function isHost(text: string, brackets: boolean): boolean {
  if (brackets && text.startsWith('[') && text.endsWith(']')) return isIP(text.slice(1, -1)) === 6;
  return isIP(text) !== 0 || HOST_NAME.test(text);
}

/** Reads and validates a JSON configuration file; errors name the file, the field and the value. */
export function loadConfigFile(path: string): PartialDemoConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read config ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  let data: Json;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return validateConfig(data, `config ${path}`);
}

/** Longest excerpt of a bad value an error message shows. */
const SHOWN = 120;

/** A value as JSON for an error message, cut short when long (a huge field gives a short error). */
function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Nested too deep to write back (JSON.parse takes more depth than JSON.stringify).
    text = Array.isArray(value) ? 'a deeply nested array' : 'a deeply nested value';
  }
  return text.length > SHOWN ? `${text.slice(0, SHOWN)}... (${text.length} characters)` : text;
}

/** Validates parsed JSON as a partial configuration. */
export function validateConfig(data: Json, where: string): PartialDemoConfig {
  const fail = (field: string, expected: string, value: unknown): never => {
    throw new UsageError(`${where}: ${field} must be ${expected} (got ${shown(value)})`);
  };
  const object = (field: string, value: unknown): Record<string, unknown> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'an object', value);
    return value as Record<string, unknown>;
  };
  const only = (field: string, value: Record<string, unknown>, keys: string[]) => {
    for (const key of Object.keys(value)) {
      if (!keys.includes(key))
        throw new UsageError(
          `${where}: unknown field ${field ? `${field}.` : ''}${key} (known: ${keys.join(', ')})`,
        );
    }
  };
  const integer = (field: string, value: unknown, min: number, max: number): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      fail(field, `an integer from ${min} to ${max}`, value);
    return value as number;
  };
  const positive = (field: string, value: unknown, max: number): number => {
    if (typeof value !== 'number' || !(value > 0) || value > max)
      fail(field, `a number above 0 and at most ${max}`, value);
    return value as number;
  };
  const boolean = (field: string, value: unknown): boolean => {
    if (typeof value !== 'boolean') fail(field, 'true or false', value);
    return value as boolean;
  };
  const string = (field: string, value: unknown): string => {
    if (typeof value !== 'string' || value === '') fail(field, 'a non-empty string', value);
    return value as string;
  };
  const host = (field: string, value: unknown, brackets: boolean): string => {
    if (typeof value !== 'string' || !isHost(value, brackets))
      fail(field, `an IP address${brackets ? ' (IPv6 with or without brackets)' : ''} or a host name`, value);
    return value as string;
  };
  // A label value: any text a browser and Prometheus can show, but valid Unicode (UTF-8 has no
  // lone surrogates).
  const label = (field: string, value: unknown): string => {
    if (typeof value !== 'string' || value === '' || value.length > MAX_TARGET_LABEL || !value.isWellFormed())
      fail(field, `a non-empty string of valid Unicode, at most ${MAX_TARGET_LABEL} characters`, value);
    return value as string;
  };

  const root = object('the top level', data);
  only('', root, ['host', 'port', 'workers', 'system', 'runtime', 'workload', 'probes', 'extraSeries']);
  const config: { -readonly [K in keyof PartialDemoConfig]: PartialDemoConfig[K] } = {};
  if (root.host !== undefined) config.host = host('host', root.host, false);
  if (root.port !== undefined) config.port = integer('port', root.port, 0, 65_535);
  if (root.workers !== undefined) config.workers = integer('workers', root.workers, 0, 64);
  if (root.extraSeries !== undefined)
    config.extraSeries = integer('extraSeries', root.extraSeries, 0, MAX_EXTRA_SERIES);
  if (root.system !== undefined) {
    const system = object('system', root.system);
    only('system', system, ['enabled', 'intervalSeconds']);
    config.system = {
      ...(system.enabled === undefined ? {} : { enabled: boolean('system.enabled', system.enabled) }),
      ...(system.intervalSeconds === undefined
        ? {}
        : { intervalSeconds: positive('system.intervalSeconds', system.intervalSeconds, 3600) }),
    };
  }
  if (root.runtime !== undefined) {
    const runtime = object('runtime', root.runtime);
    only('runtime', runtime, ['enabled', 'intervalMs']);
    config.runtime = {
      ...(runtime.enabled === undefined ? {} : { enabled: boolean('runtime.enabled', runtime.enabled) }),
      ...(runtime.intervalMs === undefined
        ? {}
        : { intervalMs: integer('runtime.intervalMs', runtime.intervalMs, 10, 3_600_000) }),
    };
  }
  if (root.workload !== undefined) {
    const workload = object('workload', root.workload);
    only('workload', workload, ['enabled', 'requestsPerSecond']);
    config.workload = {
      ...(workload.enabled === undefined ? {} : { enabled: boolean('workload.enabled', workload.enabled) }),
      ...(workload.requestsPerSecond === undefined
        ? {}
        : { requestsPerSecond: positive('workload.requestsPerSecond', workload.requestsPerSecond, 10_000) }),
    };
  }
  if (root.probes !== undefined) {
    if (!Array.isArray(root.probes) || root.probes.length > MAX_PROBES)
      fail('probes', `an array of at most ${MAX_PROBES} probes`, root.probes);
    config.probes = (root.probes as unknown[]).map((item, index): ProbeConfig => {
      const field = `probes[${index}]`;
      const probe = object(field, item);
      const intervalMs =
        probe.intervalMs === undefined
          ? 5000
          : integer(`${field}.intervalMs`, probe.intervalMs, 100, 3_600_000);
      const timeoutMs =
        probe.timeoutMs === undefined ? 2000 : integer(`${field}.timeoutMs`, probe.timeoutMs, 1, 60_000);
      const target = probe.target === undefined ? {} : { target: label(`${field}.target`, probe.target) };
      if (probe.kind === 'http') {
        only(field, probe, ['kind', 'url', 'intervalMs', 'timeoutMs', 'target']);
        const url = string(`${field}.url`, probe.url);
        let parsed: URL | undefined;
        try {
          parsed = new URL(url);
        } catch {
          parsed = undefined;
        }
        if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
          fail(`${field}.url`, 'an http: or https: URL', url);
        return { kind: 'http', url, intervalMs, timeoutMs, ...target };
      }
      if (probe.kind === 'tcp') {
        only(field, probe, ['kind', 'host', 'port', 'intervalMs', 'timeoutMs', 'target']);
        return {
          kind: 'tcp',
          host: host(`${field}.host`, probe.host, true),
          port: integer(`${field}.port`, probe.port, 1, 65_535),
          intervalMs,
          timeoutMs,
          ...target,
        };
      }
      return fail(`${field}.kind`, '"http" or "tcp"', probe.kind);
    });
  }
  return config;
}
