import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, isFw0Error, MetricsRegistry, silentLogger } from '@fw0/metrics-core';
import {
  DEFAULT_DISK_DEVICE_EXCLUDE,
  DEFAULT_FS_TYPE_EXCLUDE,
  DEFAULT_MOUNT_POINT_EXCLUDE,
  DEFAULT_NETWORK_DEVICE_EXCLUDE,
  getSystemCollector,
  MEMINFO_FIELDS,
  meminfoMetricName,
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseProcStat,
  parseSwaps,
  parseVmstat,
  type SystemCollectorOptions,
  SystemMetricsCollector,
} from '@fw0/metrics-system';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { temporaryDirectory } from '../../../../test-support/processes.js';
import {
  attempt,
  attemptAsync,
  checkAsyncProperty,
  checkProperty,
  ensure,
  ensureSame,
  expectOutcome,
  Faults,
} from './harness.js';
import { anyNumber, anyText, integerIn, integerOption, junk, numberOrJunk, unicodeText } from './inputs.js';
import { ensureUnchanged, parsedSamples, prometheusText, registryFingerprint } from './observe.js';

/*
 * The bad-input properties of @fw0/metrics-system. The models below are written from the
 * package's README (Options table, Metrics, "How it reads") and its doc comments (options.ts,
 * factory.ts, the parsers), not taken from its code.
 *
 * Nothing here reads the host's /proc more than the collector does on its own: collections run
 * against small /proc trees this suite writes in a temporary directory (`procPath`, `sysPath`),
 * with the inventory off (no systeminformation, no child process).
 */

const INVALID_CONFIG = ErrorCode.INVALID_CONFIG;
const NO_FAULT: ReadonlySet<string> = new Set();

/** Timers alive in this process: a call the package rejects must not leave one behind. */
function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

// ---------------------------------------------------------------------------------------------
// /proc trees

let scratch: { path: string; remove(): void } | undefined;
let treeCount = 0;

function useScratch(): void {
  beforeAll(() => {
    scratch = temporaryDirectory('fw0-fuzz-system');
  });
  afterAll(() => scratch?.remove());
}

/** A fresh directory laid out like /proc (and its sysfs under `sys/`), holding `files`. */
function procTree(
  files: Readonly<Record<string, string>>,
  virtualInterfaces: readonly string[] = [],
): string {
  const path = join(scratch!.path, `tree-${treeCount++}`);
  for (const [relative, text] of Object.entries(files)) {
    const target = join(path, relative);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, text);
  }
  for (const name of virtualInterfaces)
    mkdirSync(join(path, 'sys', 'devices', 'virtual', 'net', name), { recursive: true });
  mkdirSync(path, { recursive: true });
  return path;
}

function removeTree(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Filters, as the README documents them

/** A pattern option: a RegExp (any flags; `g` and `y` are dropped), `null` (default off), or absent. */
const patternInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 4 },
  { arbitrary: fc.constant(null), weight: 2 },
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          '^e',
          'th',
          '0$',
          '^(lo|eth)',
          '\\d',
          '^[a-m]',
          'é',
          '^.{1,3}$',
          '^$',
          '.',
          'x|y',
          '^/',
          'tmp',
          'ext',
        ),
        fc.subarray(['g', 'i', 'y', 'u', 'm', 's']),
      )
      .map(([source, flags]) => new RegExp(source, flags.join(''))),
    weight: 6,
  },
  // Not RegExps: strings (valid and invalid patterns alike), arrays, look-alikes.
  {
    arbitrary: fc.constantFrom<unknown>(
      '^eth',
      '(',
      '[a-',
      '',
      '.*',
      ['^eth'],
      [/x/],
      { source: 'x' },
      5,
      true,
      0,
    ),
    weight: 2,
  },
  { arbitrary: junk, weight: 1 },
);

function isPattern(value: unknown): boolean {
  return value === undefined || value === null || value instanceof RegExp;
}

/** The pattern a value means: undefined (no filter) or a RegExp without `g`/`y` state. */
function patternOf(value: unknown, fallback: RegExp | undefined): RegExp | undefined {
  if (value === undefined) return fallback;
  if (value === null) return undefined;
  const pattern = value as RegExp;
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
}

/** README: "include patterns keep only what matches, exclude patterns drop what matches". */
function passes(name: string, include: RegExp | undefined, exclude: RegExp | undefined): boolean {
  return (include === undefined || include.test(name)) && (exclude === undefined || !exclude.test(name));
}

/** The values of label `label` of the series named `name`, sorted. */
function labelValues(registry: MetricsRegistry, name: string, label: string): string[] {
  return parsedSamples(prometheusText(registry))
    .filter((sample) => sample.name === name)
    .map((sample) => sample.labels[label] ?? '')
    .sort();
}

// ---------------------------------------------------------------------------------------------
// Names the kernel allows

/** Characters of generated device and interface names: ASCII, digits, punctuation, Unicode. */
const nameCharacter = fc.oneof(
  { arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), weight: 8 },
  { arbitrary: fc.constantFrom(...'0123456789'), weight: 4 },
  { arbitrary: fc.constantFrom('-', '_', '.', '|', '@', '#', '"', '\\', '{', '}', '=', ','), weight: 2 },
  // Not blanks to the kernel (isspace is ASCII): a no-break space may stand in a name.
  { arbitrary: fc.constantFrom('é', 'ß', 'ж', '中', '😀', '\u00a0', '\u2028'), weight: 1 },
);

/**
 * An interface name as dev_valid_name() allows it: 1 to 15 bytes, no '/', ':' or blank, not
 * "." or "..".
 */
const interfaceName = fc
  .array(nameCharacter, { minLength: 1, maxLength: 12 })
  .map((characters) => characters.join(''))
  .filter((name) => Buffer.byteLength(name) <= 15 && name !== '.' && name !== '..');

/** A block device name: no blank, no '/' (the kernel's are ASCII; we allow more). */
const deviceName = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      'sda',
      'sda1',
      'vda',
      'vda2',
      'xvda1',
      'hdb3',
      'nvme0n1',
      'nvme0n1p1',
      'mmcblk0',
      'mmcblk0p1',
      'ram0',
      'zram0',
      'loop7',
      'fd0',
      'dm-0',
      'md127',
      'sr0',
    ),
    weight: 3,
  },
  { arbitrary: interfaceName, weight: 2 },
);

const counter = fc.oneof(
  { arbitrary: fc.nat(1_000_000), weight: 4 },
  { arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(Number), weight: 1 },
);

// ---------------------------------------------------------------------------------------------
// Generated /proc files and what they say (models for the parsers)

/** Decimal text of an unsigned 64-bit value. */
const u64Text = fc.oneof(
  { arbitrary: fc.nat(10_000_000).map(String), weight: 4 },
  { arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String), weight: 2 },
  { arbitrary: fc.constantFrom('0', '9007199254740993', '18446744073709551615', '000042'), weight: 1 },
);

function netDevText(interfaces: readonly { name: string; counters: readonly string[] }[]): string {
  const header =
    'Inter-|   Receive                                                |  Transmit\n' +
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
  return (
    header + interfaces.map(({ name, counters }) => `${name.padStart(6)}: ${counters.join(' ')}\n`).join('')
  );
}

function diskstatsText(disks: readonly { name: string; stats: readonly string[] }[]): string {
  return disks
    .map(({ name, stats }, index) => `   8 ${String(index).padStart(7)} ${name} ${stats.join(' ')}\n`)
    .join('');
}

/** Octal escapes of /proc/mounts and /proc/swaps paths (space, tab, newline, backslash). */
function escapePath(path: string): string {
  return path.replace(
    /[ \t\n\\]/g,
    (character) => `\\${character.charCodeAt(0).toString(8).padStart(3, '0')}`,
  );
}

// ---------------------------------------------------------------------------------------------

export function systemProperties(): void {
  describe('@fw0/metrics-system', () => {
    useScratch();

    it('getSystemCollector(collectionInterval): seconds from 0.05 to 86,400, or a ConfigError and nothing started', async () => {
      await checkAsyncProperty(
        'system.factory-interval',
        fc.record({
          interval: fc.oneof(
            { arbitrary: fc.constantFrom(undefined, null), weight: 1 },
            { arbitrary: fc.double({ min: 0.05, max: 86_400, noNaN: true }), weight: 3 },
            {
              arbitrary: fc.constantFrom(
                0,
                -0,
                -1,
                0.049,
                0.0499999999,
                0.05,
                0.05000001,
                1,
                86_400,
                86_400.000001,
                1e-300,
                Number.MIN_VALUE,
                Number.NaN,
                Number.POSITIVE_INFINITY,
                Number.NEGATIVE_INFINITY,
                1e308,
                2 ** 53,
              ),
              weight: 3,
            },
            { arbitrary: numberOrJunk, weight: 2 },
            { arbitrary: fc.constantFrom('1', '0.5', '', ' 2 ', '1e3', '86400'), weight: 1 },
          ),
          options: fc.oneof(
            { arbitrary: fc.constant('usual'), weight: 8 },
            { arbitrary: fc.constantFrom<unknown>(null, 5, 'fast', [], true), weight: 1 },
          ),
          start: fc.boolean(),
        }),
        async ({ interval, options, start }) => {
          const timers = activeTimers();
          const empty = procTree({});
          try {
            const given =
              options === 'usual'
                ? { inventory: false, minRateWindowMs: 1, procPath: empty, sysPath: empty }
                : options;
            const faults = new Faults()
              // README: undefined or null takes the default (1 s).
              .add(
                INVALID_CONFIG,
                !(
                  interval == null ||
                  (typeof interval === 'number' && interval >= 0.05 && interval <= 86_400)
                ),
              )
              .add(INVALID_CONFIG, options !== 'usual');
            const what = `getSystemCollector(${String(interval)}, ${JSON.stringify(options)})`;
            const outcome = attempt(() => getSystemCollector(interval as number, given as never));
            if (!expectOutcome(outcome, faults.codes, what)) {
              ensure(activeTimers() === timers, `${what}: a rejected call left a timer`);
              return;
            }
            const collector = outcome.value;
            ensure(
              collector.collectionInterval === (interval ?? 1),
              `${what}: interval ${collector.collectionInterval}`,
            );
            ensure(!collector.isCollecting && activeTimers() === timers, `${what}: started something`);
            ensure(collector.registry.collectors.includes(collector), `${what}: not registered`);
            if (start) {
              // Any accepted interval schedules: the first run starts at once (reads fail: empty tree).
              collector.startContinuousCollection();
              ensure(collector.isCollecting, `${what}: not collecting`);
              await collector.stopContinuousCollection();
            }
            await collector.close();
            ensure(!collector.isCollecting, `${what}: still collecting after close`);
            ensure(
              !collector.registry.collectors.includes(collector),
              `${what}: still registered after close`,
            );
          } finally {
            removeTree(empty);
          }
        },
        400,
      );
    });

    it('collector options: a ConfigError naming the first bad one, nothing registered, bound or started', async () => {
      const logger = { debug() {}, warn() {}, error() {} };
      const shared = new MetricsRegistry({ logger: silentLogger });
      const taken = new SystemMetricsCollector({ registry: shared, name: 'taken', inventory: false });
      await checkAsyncProperty(
        'system.options',
        fc.record(
          {
            collectionInterval: fc.oneof(fc.double({ min: 0.05, max: 86_400, noNaN: true }), anyNumber, junk),
            minRateWindowMs: integerOption(1, 60_000),
            statfsTimeoutMs: integerOption(1, 60_000),
            source: fc.oneof(
              fc.constantFrom('auto', 'procfs', 'systeminformation'),
              fc.constantFrom('wmi', 'AUTO', ''),
              junk,
            ),
            name: fc.oneof(fc.constantFrom('system', 'host', 'taken', ''), anyText(10), junk),
            procPath: fc.oneof(fc.constant('tree'), fc.constantFrom('', 5, null, ['/proc'], '/tmp/\ud800')),
            sysPath: fc.oneof(fc.constant('tree'), fc.constantFrom('', 5, null)),
            diskDeviceInclude: patternInput,
            diskDeviceExclude: patternInput,
            mountPointInclude: patternInput,
            mountPointExclude: patternInput,
            fsTypeInclude: patternInput,
            fsTypeExclude: patternInput,
            networkDeviceInclude: patternInput,
            networkDeviceExclude: patternInput,
            excludeVirtualInterfaces: fc.oneof(fc.boolean(), junk),
            inventory: fc.oneof(fc.constant(false), junk),
            refreshOnCollect: fc.oneof(fc.boolean(), junk),
            bufferSize: integerOption(1, 10_000_000),
            maxSamplesPerSecond: fc.oneof(fc.constant(false), integerOption(1, 10_000_000)),
            registry: fc.oneof(fc.constant('shared'), fc.constant('fresh'), junk),
            logger: fc.oneof(fc.constant('valid'), fc.constant({ warn() {} }), junk),
          },
          { requiredKeys: [] },
        ),
        async (input) => {
          const tree = procTree({});
          const timers = activeTimers();
          try {
            const options: Record<string, unknown> = { ...input };
            if (input.registry === 'shared') options.registry = shared;
            else if (input.registry === 'fresh')
              options.registry = new MetricsRegistry({ logger: silentLogger });
            if (input.logger === 'valid') options.logger = logger;
            if (input.procPath === 'tree') options.procPath = tree;
            if (input.sysPath === 'tree') options.sysPath = tree;
            // The model, from the Options table (an absent option takes its default; null is a value).
            // README: undefined or null takes the default (null turns a pattern's default off).
            const has = (key: string) => options[key] !== undefined && options[key] !== null;
            const value = (key: string) => options[key];
            const faults = new Faults();
            const interval = has('collectionInterval') ? value('collectionInterval') : 1;
            faults.add(
              INVALID_CONFIG,
              !(typeof interval === 'number' && interval >= 0.05 && interval <= 86_400),
            );
            if (has('minRateWindowMs'))
              faults.add(INVALID_CONFIG, !integerIn(value('minRateWindowMs'), 1, 60_000));
            if (has('statfsTimeoutMs'))
              faults.add(INVALID_CONFIG, !integerIn(value('statfsTimeoutMs'), 1, 60_000));
            if (has('source'))
              faults.add(
                INVALID_CONFIG,
                !['auto', 'procfs', 'systeminformation'].includes(value('source') as string),
              );
            const name = has('name') ? value('name') : 'system';
            // A name is a label value: valid Unicode.
            faults.add(INVALID_CONFIG, typeof name !== 'string' || name === '' || !name.isWellFormed());
            for (const key of ['procPath', 'sysPath']) {
              const path = value(key);
              if (has(key))
                faults.add(INVALID_CONFIG, typeof path !== 'string' || path === '' || !path.isWellFormed());
            }
            for (const key of [
              'diskDeviceInclude',
              'diskDeviceExclude',
              'mountPointInclude',
              'mountPointExclude',
              'fsTypeInclude',
              'fsTypeExclude',
              'networkDeviceInclude',
              'networkDeviceExclude',
            ])
              faults.add(INVALID_CONFIG, !isPattern(value(key)));
            for (const key of ['excludeVirtualInterfaces', 'inventory', 'refreshOnCollect'])
              if (has(key)) faults.add(INVALID_CONFIG, typeof value(key) !== 'boolean');
            if (has('bufferSize')) faults.add(INVALID_CONFIG, !integerIn(value('bufferSize'), 1, 10_000_000));
            if (has('maxSamplesPerSecond'))
              faults.add(
                INVALID_CONFIG,
                value('maxSamplesPerSecond') !== false &&
                  !integerIn(value('maxSamplesPerSecond'), 1, 10_000_000),
              );
            const registry = value('registry');
            if (has('registry')) faults.add(INVALID_CONFIG, !(registry instanceof MetricsRegistry));
            if (has('logger')) faults.add(INVALID_CONFIG, value('logger') !== logger);
            if (registry === shared && name === 'taken') faults.add(INVALID_CONFIG);
            const what = `new SystemMetricsCollector(${JSON.stringify(input, (_, v) => (v instanceof RegExp ? String(v) : v))})`;
            const before = registryFingerprint(shared);
            const outcome = attempt(() => new SystemMetricsCollector(options));
            if (!expectOutcome(outcome, faults.codes, what)) {
              ensureUnchanged(before, registryFingerprint(shared), what);
              ensure(activeTimers() === timers, `${what}: a rejected call left a timer`);
              return;
            }
            const collector = outcome.value;
            ensure(
              collector.collectionInterval === interval,
              `${what}: interval ${collector.collectionInterval}`,
            );
            ensure(collector.name === name, `${what}: name ${collector.name}`);
            const source = has('source') ? value('source') : 'auto';
            ensure(
              collector.sourceKind === (source === 'systeminformation' ? 'systeminformation' : 'procfs'),
              `${what}: source ${collector.sourceKind}`,
            );
            if (registry instanceof MetricsRegistry)
              ensure(collector.registry === registry, `${what}: another registry`);
            ensure(collector.registry.collectors.includes(collector), `${what}: not registered`);
            ensure(!collector.isCollecting && activeTimers() === timers, `${what}: started something`);
            await collector.close();
            ensure(
              !collector.registry.collectors.includes(collector),
              `${what}: still registered after close`,
            );
            const rejected = await attemptAsync(() => collector.collectCpuMetrics());
            ensure(
              !rejected.ok && isFw0Error(rejected.error) && rejected.error.code === ErrorCode.CLOSED,
              `${what}: collect after close`,
            );
          } finally {
            removeTree(tree);
          }
        },
        1000,
      );
      await taken.close();
    });

    it('interface filters: exactly the interfaces the patterns and excludeVirtualInterfaces keep', async () => {
      await checkAsyncProperty(
        'system.interface-filters',
        fc.record({
          interfaces: fc.uniqueArray(
            fc.record({
              name: interfaceName,
              virtual: fc.boolean(),
              counters: fc.array(counter, { minLength: 16, maxLength: 16 }),
            }),
            {
              minLength: 0,
              maxLength: 6,
              selector: (item) => item.name,
            },
          ),
          withLoopback: fc.boolean(),
          include: patternInput.filter(isPattern),
          exclude: patternInput.filter(isPattern),
          excludeVirtual: fc.boolean(),
        }),
        async ({ interfaces, withLoopback, include, exclude, excludeVirtual }) => {
          const all = withLoopback
            ? [
                { name: 'lo', virtual: true, counters: Array.from({ length: 16 }, () => 7) },
                ...interfaces.filter((item) => item.name !== 'lo'),
              ]
            : interfaces;
          const tree = procTree(
            {
              'net/dev': netDevText(
                all.map(({ name, counters }) => ({ name, counters: counters.map(String) })),
              ),
            },
            all.filter((item) => item.virtual).map((item) => item.name),
          );
          try {
            // Pattern values may be undefined (the option left out): built as a plain object.
            const collector = new SystemMetricsCollector(<SystemCollectorOptions>{
              procPath: tree,
              sysPath: join(tree, 'sys'),
              inventory: false,
              minRateWindowMs: 1,
              networkDeviceInclude: include as RegExp | null,
              networkDeviceExclude: exclude as RegExp | null,
              excludeVirtualInterfaces: excludeVirtual,
              logger: silentLogger,
            });
            const what = `interfaces ${JSON.stringify(all.map((item) => [item.name, item.virtual]))} include ${String(include)} exclude ${String(exclude)} excludeVirtual ${excludeVirtual}`;
            const outcome = await attemptAsync(() => collector.collectNetworkMetrics());
            expectOutcome(outcome, NO_FAULT, what);
            const includePattern = patternOf(include, undefined);
            const excludePattern = patternOf(exclude, DEFAULT_NETWORK_DEVICE_EXCLUDE);
            const kept = all
              .filter(
                (item) =>
                  !(excludeVirtual && item.virtual) && passes(item.name, includePattern, excludePattern),
              )
              .map((item) => item.name)
              .sort();
            ensureSame(
              labelValues(collector.registry, 'node_network_receive_bytes_total', 'device'),
              kept,
              what,
            );
            // Every counter as the file says (the first reading: no wrap, no restart).
            for (const item of all.filter((entry) => kept.includes(entry.name))) {
              const exposed = parsedSamples(prometheusText(collector.registry)).find(
                (sample) =>
                  sample.name === 'node_network_transmit_bytes_total' && sample.labels.device === item.name,
              );
              ensure(
                exposed?.value === item.counters[8],
                `${what}: ${item.name} transmit bytes ${exposed?.value} != ${item.counters[8]}`,
              );
            }
            await collector.close();
          } finally {
            removeTree(tree);
          }
        },
        400,
      );
    });

    it("block device filters: exactly the devices the patterns keep (default: node_exporter's exclusion)", async () => {
      await checkAsyncProperty(
        'system.disk-filters',
        fc.record({
          devices: fc.uniqueArray(deviceName, { maxLength: 8 }),
          include: patternInput.filter(isPattern),
          exclude: patternInput.filter(isPattern),
        }),
        async ({ devices, include, exclude }) => {
          const stats = (index: number) =>
            Array.from({ length: 17 }, (_, i) => String((index + 1) * 100 + i));
          const tree = procTree({
            diskstats: diskstatsText(devices.map((name, index) => ({ name, stats: stats(index) }))),
            mounts: '',
          });
          try {
            // Pattern values may be undefined (the option left out): built as a plain object.
            const collector = new SystemMetricsCollector(<SystemCollectorOptions>{
              procPath: tree,
              sysPath: tree,
              inventory: false,
              minRateWindowMs: 1,
              diskDeviceInclude: include as RegExp | null,
              diskDeviceExclude: exclude as RegExp | null,
              logger: silentLogger,
            });
            const what = `devices ${JSON.stringify(devices)} include ${String(include)} exclude ${String(exclude)}`;
            expectOutcome(await attemptAsync(() => collector.collectDiskMetrics()), NO_FAULT, what);
            const kept = devices
              .filter((name) =>
                passes(name, patternOf(include, undefined), patternOf(exclude, DEFAULT_DISK_DEVICE_EXCLUDE)),
              )
              .sort();
            ensureSame(
              labelValues(collector.registry, 'node_disk_reads_completed_total', 'device'),
              kept,
              what,
            );
            await collector.close();
          } finally {
            removeTree(tree);
          }
        },
        400,
      );
    });

    it('filesystem filters: exactly the mounts the mount point and type patterns keep, the last line of a mount point winning', async () => {
      const fsType = fc.constantFrom(
        'ext4',
        'xfs',
        'tmpfs',
        'proc',
        'overlay',
        'nfs4',
        'cgroup2',
        'fuse.sshfs',
        'vfat',
      );
      await checkAsyncProperty(
        'system.filesystem-filters',
        fc.record({
          mounts: fc.array(
            fc.record({
              device: fc.oneof(
                fc.constantFrom('/dev/vda1', 'tmpfs', 'server:/share', 'my disk'),
                interfaceName,
              ),
              // Under this case's tree (existing or not), or one of the usual places.
              where: fc.oneof(
                {
                  arbitrary: fc
                    .array(nameCharacter, { minLength: 1, maxLength: 8 })
                    .map((chars) => chars.join('').replace(/\./g, 'd')),
                  weight: 4,
                },
                { arbitrary: fc.constantFrom('a b', 'tab\there', 'back\\slash', 'line\nfeed'), weight: 1 },
              ),
              absolute: fc.constantFrom(
                undefined,
                '/',
                '/dev/shm',
                '/run/user/1000',
                '/proc',
                '/media/usb',
                '/srv/data',
              ),
              exists: fc.boolean(),
              fstype: fsType,
              readonly: fc.boolean(),
            }),
            { maxLength: 6 },
          ),
          mountPointInclude: patternInput.filter(isPattern),
          mountPointExclude: patternInput.filter(isPattern),
          fsTypeInclude: patternInput.filter(isPattern),
          fsTypeExclude: patternInput.filter(isPattern),
        }),
        async (input) => {
          const tree = procTree({});
          try {
            const mounts = input.mounts.map((mount) => {
              const mountpoint = mount.absolute ?? join(tree, 'm', mount.where);
              if (mount.absolute === undefined && mount.exists) mkdirSync(mountpoint, { recursive: true });
              return { ...mount, mountpoint };
            });
            writeFileSync(
              join(tree, 'mounts'),
              mounts
                .map(
                  (mount) =>
                    `${escapePath(mount.device)} ${escapePath(mount.mountpoint)} ${mount.fstype} ${mount.readonly ? 'ro' : 'rw'},relatime 0 0\n`,
                )
                .join(''),
            );
            // Pattern values may be undefined (the option left out): built as a plain object.
            const collector = new SystemMetricsCollector(<SystemCollectorOptions>{
              procPath: tree,
              sysPath: tree,
              inventory: false,
              minRateWindowMs: 1,
              mountPointInclude: input.mountPointInclude as RegExp | null,
              mountPointExclude: input.mountPointExclude as RegExp | null,
              fsTypeInclude: input.fsTypeInclude as RegExp | null,
              fsTypeExclude: input.fsTypeExclude as RegExp | null,
              logger: silentLogger,
            });
            const what = `mounts ${JSON.stringify(mounts.map((mount) => [mount.mountpoint, mount.fstype]))} ${String(input.mountPointInclude)} ${String(input.mountPointExclude)} ${String(input.fsTypeInclude)} ${String(input.fsTypeExclude)}`;
            expectOutcome(await attemptAsync(() => collector.collectDiskMetrics()), NO_FAULT, what);
            const last = new Map(mounts.map((mount) => [mount.mountpoint, mount]));
            const kept = [...last.values()]
              .filter(
                (mount) =>
                  passes(
                    mount.mountpoint,
                    patternOf(input.mountPointInclude, undefined),
                    patternOf(input.mountPointExclude, DEFAULT_MOUNT_POINT_EXCLUDE),
                  ) &&
                  passes(
                    mount.fstype,
                    patternOf(input.fsTypeInclude, undefined),
                    patternOf(input.fsTypeExclude, DEFAULT_FS_TYPE_EXCLUDE),
                  ),
              )
              .map((mount) => mount.mountpoint)
              .sort();
            // Every kept mount has its error flag; statfs answered for those that exist.
            ensureSame(
              labelValues(collector.registry, 'node_filesystem_device_error', 'mountpoint'),
              kept,
              what,
            );
            for (const sample of parsedSamples(prometheusText(collector.registry))) {
              if (sample.name !== 'node_filesystem_readonly') continue;
              const mount = last.get(sample.labels.mountpoint!)!;
              ensure(sample.value === (mount.readonly ? 1 : 0), `${what}: readonly of ${mount.mountpoint}`);
              ensure(
                sample.labels.device === mount.device && sample.labels.fstype === mount.fstype,
                `${what}: labels ${JSON.stringify(sample.labels)}`,
              );
            }
            await collector.close();
          } finally {
            removeTree(tree);
          }
        },
        300,
      );
    });

    it('the /proc parsers: well-formed text read as written, anything else a ParseError', () => {
      const netDev = fc.uniqueArray(
        fc.record({ name: interfaceName, counters: fc.array(u64Text, { minLength: 16, maxLength: 16 }) }),
        { maxLength: 5, selector: (item) => item.name },
      );
      const disks = fc.array(
        fc.record({
          name: deviceName,
          stats: fc
            .constantFrom(11, 15, 17)
            .chain((count) => fc.array(u64Text, { minLength: count, maxLength: count })),
        }),
        { maxLength: 5 },
      );
      const meminfo = fc.uniqueArray(
        fc.record({
          name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_()]{0,15}$/),
          value: fc.nat(2 ** 40),
          kib: fc.boolean(),
        }),
        { maxLength: 8, selector: (line) => line.name },
      );
      checkProperty(
        'system.parsers-well-formed',
        fc.record({
          netDev,
          disks,
          meminfo,
          total: fc.nat(2 ** 40),
          loads: fc.array(fc.nat(99_999), { minLength: 3, maxLength: 3 }),
        }),
        ({ netDev: interfaces, disks: devices, meminfo: lines, total, loads }) => {
          ensureSame(
            parseNetDev(netDevText(interfaces)),
            interfaces.map(({ name, counters }) => ({ device: name, counters: counters.map(Number) })),
            'parseNetDev',
          );
          const parsed = parseDiskstats(diskstatsText(devices));
          ensureSame(
            parsed.map((disk) => disk.device),
            devices.map((disk) => disk.name),
            'parseDiskstats devices',
          );
          devices.forEach((disk, index) => {
            const got = parsed[index]!;
            ensure(
              got.readsCompleted === Number(disk.stats[0]) && got.weightedIoTimeMs === Number(disk.stats[10]),
              `parseDiskstats ${disk.name}`,
            );
            ensure(
              (got.flushTimeMs === undefined) === disk.stats.length < 17,
              `parseDiskstats ${disk.name}: flush fields`,
            );
            ensure(
              (got.discardsCompleted === undefined) === disk.stats.length < 15,
              `parseDiskstats ${disk.name}: discard fields`,
            );
          });
          const text = [
            `MemTotal:       ${total} kB`,
            ...lines
              .filter((line) => line.name !== 'MemTotal')
              .map((line) => `${`${line.name}:`.padEnd(16)}${line.value}${line.kib ? ' kB' : ''}`),
          ].join('\n');
          const memory = parseMeminfo(`${text}\n`);
          ensure(memory.get('MemTotal') === total * 1024, 'parseMeminfo MemTotal');
          for (const line of lines.filter((entry) => entry.name !== 'MemTotal'))
            ensure(
              memory.get(line.name) === (line.kib ? line.value * 1024 : line.value),
              `parseMeminfo ${line.name}`,
            );
          const loadText = loads.map(
            (value) => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`,
          );
          ensureSame(
            parseLoadavg(`${loadText.join(' ')} 2/345 6789\n`),
            { load1: Number(loadText[0]), load5: Number(loadText[1]), load15: Number(loadText[2]) },
            'parseLoadavg',
          );
        },
        1500,
      );

      const fixtures = [
        ['parseNetDev', (text: string) => parseNetDev(text)],
        ['parseDiskstats', (text: string) => parseDiskstats(text)],
        ['parseMeminfo', (text: string) => parseMeminfo(text)],
        ['parseLoadavg', (text: string) => parseLoadavg(text)],
        ['parseMounts', (text: string) => parseMounts(text)],
        ['parseProcStat', (text: string) => parseProcStat(text)],
        ['parseSwaps', (text: string) => parseSwaps(text)],
        ['parseVmstat', (text: string) => parseVmstat(text)],
      ] as const;
      const samples = [
        netDevText([{ name: 'eth0', counters: Array.from({ length: 16 }, (_, i) => String(i)) }]),
        diskstatsText([{ name: 'sda', stats: Array.from({ length: 17 }, (_, i) => String(i)) }]),
        'MemTotal:  8000 kB\nMemFree:  100 kB\nHugePages_Total:  0\n',
        '0.05 0.39 0.39 1/86 26654\n',
        '/dev/vda / ext4 rw,relatime 0 0\ntmpfs /run tmpfs rw 0 0\n',
        'cpu  10 20 30 40 50 0 0 0 0 0\ncpu0 10 20 30 40 50 0 0 0 0 0\nintr 1 2\n',
        'Filename Type Size Used Priority\n/swapfile file 1024 0 -2\n',
        'nr_free_pages 5\npswpin 1\npswpout 2\n',
      ];
      checkProperty(
        'system.parsers-any-text',
        fc.record({
          parser: fc.nat(fixtures.length - 1),
          text: fc.oneof(
            { arbitrary: anyText(80), weight: 2 },
            // A well-formed file with a few characters replaced, inserted or cut.
            {
              arbitrary: fc
                .tuple(
                  fc.nat(samples.length - 1),
                  fc.array(
                    fc.tuple(
                      fc.nat(400),
                      fc.constantFrom(
                        '',
                        ' ',
                        '\n',
                        ':',
                        'x',
                        '-',
                        '+',
                        '9',
                        '\t',
                        '|',
                        '\\',
                        'é',
                        '1e9',
                        '0x1',
                      ),
                    ),
                    { maxLength: 4 },
                  ),
                )
                .map(([which, edits]) => {
                  let text = samples[which]!;
                  for (const [at, insert] of edits) {
                    const position = at % (text.length + 1);
                    text = text.slice(0, position) + insert + text.slice(position + (insert === '' ? 1 : 0));
                  }
                  return text;
                }),
              weight: 5,
            },
            { arbitrary: unicodeText(40), weight: 1 },
          ),
        }),
        ({ parser, text }) => {
          const [name, parse] = fixtures[parser]!;
          const what = `${name}(${JSON.stringify(text)})`;
          const outcome = attempt(() => parse(text));
          if (!outcome.ok) {
            expectOutcome(outcome, new Set([ErrorCode.PARSE_ERROR]), what);
            return;
          }
          // What is accepted is sane: counters are unsigned integers, names are not blank.
          const unsigned = (value: unknown) =>
            typeof value === 'number' && Number.isInteger(value) && value >= 0;
          if (name === 'parseNetDev') {
            for (const item of outcome.value as ReturnType<typeof parseNetDev>) {
              ensure(
                item.device.trim() !== '' && item.counters.length === 16 && item.counters.every(unsigned),
                `${what}: ${JSON.stringify(item)}`,
              );
            }
          }
          if (name === 'parseDiskstats') {
            for (const disk of outcome.value as ReturnType<typeof parseDiskstats>) {
              ensure(
                disk.device !== '' &&
                  Object.values(disk)
                    .filter((v) => typeof v === 'number')
                    .every(unsigned),
                `${what}: ${JSON.stringify(disk)}`,
              );
            }
          }
        },
        6000,
      );
    });

    it('meminfoMetricName: the exposed name of each listed field, a ConfigError for anything else', () => {
      checkProperty(
        'system.meminfo-metric-name',
        fc.oneof(
          fc.constantFrom<unknown>(...MEMINFO_FIELDS),
          fc.constantFrom('Active(anon)', 'memtotal', 'MemTotal ', ''),
          anyText(12),
          junk,
        ),
        (field) => {
          const known = (MEMINFO_FIELDS as readonly unknown[]).includes(field);
          const outcome = attempt(() => meminfoMetricName(field as never));
          const what = `meminfoMetricName(${JSON.stringify(field)})`;
          if (!expectOutcome(outcome, known ? NO_FAULT : new Set([INVALID_CONFIG]), what)) return;
          ensure(outcome.value === `node_memory_${String(field)}_bytes`, `${what}: ${outcome.value}`);
        },
        400,
      );
    });
  });
}
