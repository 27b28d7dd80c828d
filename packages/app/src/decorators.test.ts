import { ConfigError, type FamilySnapshot } from '@fw0/metrics-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplesNamed, testCollector } from './test-support/app-collector.js';
import {
  type CompiledFixture,
  compileFixture,
  type DecoratorMode,
  type FixtureModule,
} from './test-support/compile-fixture.js';

const MODES: readonly DecoratorMode[] = ['standard', 'legacy'];
const compiled = new Map<DecoratorMode, CompiledFixture>();

beforeAll(async () => {
  // The same source compiled by tsc twice: TC39 decorators, then experimentalDecorators.
  for (const mode of MODES) compiled.set(mode, await compileFixture(mode));
}, 240_000);

afterAll(() => {
  for (const fixture of compiled.values()) fixture.remove();
});

const fixture = (mode: DecoratorMode): FixtureModule => compiled.get(mode)!.module;

describe.each(MODES)('methods decorated in %s mode', (mode) => {
  it('are timed as Class.method, keeping this and their results', () => {
    const { app, registry } = testCollector();
    const { UserService } = fixture(mode).defineServices(app);
    const service = new UserService('user-');
    expect(service.getUser(1)).toBe('user-1');
    expect(service.getUser(2)).toBe('user-2');
    expect(service.lookups).toBe(2);
    expect(app.getCallCounts()['UserService.getUser']).toBe(2);
    const calls = registry.getMetric('user_service_get_user_calls_total')!;
    expect(calls.labelSets()).toEqual([{ outcome: 'success' }, { outcome: 'error' }]);
    expect(app.getDurationSummary('UserService.getUser')!.cumulative.count).toBe(2);
  });

  it('name the declaring class, for subclass instances and for static methods', () => {
    const { app } = testCollector();
    const { UserService, AdminService } = fixture(mode).defineServices(app);
    expect(new AdminService('a').getUser(3)).toBe('admin:a3');
    const created = UserService.create('s');
    expect(created).toBeInstanceOf(UserService);
    const counts = app.getCallCounts();
    expect(counts['UserService.getUser']).toBe(1);
    expect(counts['UserService.create']).toBe(1);
    expect(counts['AdminService.getUser']).toBeUndefined();
  });

  it('time async methods until they settle, with an explicit name and tags', async () => {
    const { app } = testCollector();
    const { UserService } = fixture(mode).defineServices(app);
    const service = new UserService('u');
    const pending = service.loadUser(5, 30);
    expect(app.getCallCounts().user_lookup).toBe(0);
    expect(await pending).toBe('u5');
    const summary = app.getDurationSummary('user_lookup', { source: 'db' })!.cumulative;
    expect(summary.count).toBe(1);
    // Timing tolerance: a timer may fire early against performance.now() by as long as libuv's
    // cached loop time is stale; half the nominal 30 ms is safe, a record on return would be microseconds.
    expect(summary.max).toBeGreaterThanOrEqual(0.015);
  });

  it('rethrow errors and rejections unchanged, recording outcome="error"', async () => {
    const { app } = testCollector();
    const { UserService } = fixture(mode).defineServices(app);
    const service = new UserService('u');
    const error = new RangeError('bad id');
    let caught: unknown;
    try {
      service.fail(error);
    } catch (thrown) {
      caught = thrown;
    }
    expect(caught).toBe(error);
    await expect(service.reject(error)).rejects.toBe(error);
    expect(app.getDurationSummary('UserService.fail', undefined, 'error')!.cumulative.count).toBe(1);
    expect(app.getDurationSummary('UserService.reject', undefined, 'error')!.cumulative.count).toBe(1);
    expect(app.getDurationSummary('UserService.reject')!.cumulative.count).toBe(0);
  });

  it('time recursive and re-entrant calls one by one', () => {
    const { app } = testCollector();
    const { UserService } = fixture(mode).defineServices(app);
    const service = new UserService('r');
    expect(service.fib(10)).toBe(55);
    expect(service.reenter(() => service.reenter(() => {}))).toBe('r');
    const counts = app.getCallCounts();
    expect(counts['UserService.fib']).toBe(177);
    expect(counts['UserService.reenter']).toBe(2);
  });

  it('leave generator methods untimed', () => {
    const { app } = testCollector();
    const { UserService } = fixture(mode).defineServices(app);
    expect([...new UserService('g').ids(3)]).toEqual([0, 1, 2]);
    expect(app.getCallCounts()['UserService.ids']).toBeUndefined();
  });

  it('record memory deltas where the decorator asks for them', () => {
    const { app } = testCollector();
    const { UserService } = fixture(mode).defineServices(app);
    expect(new UserService('m').allocate(2 ** 20).length).toBe(2 ** 20);
    const [sample] = samplesNamed(app.getCollectedMetrics(), 'UserService.allocate');
    expect(sample!.context).toEqual({
      heapDeltaBytes: expect.any(Number),
      externalDeltaBytes: expect.any(Number),
    });
  });

  it('refuse a decorated field with ConfigError when the class is defined', () => {
    const { app } = testCollector();
    expect(() => fixture(mode).defineFieldTimer(app)).toThrow(ConfigError);
    expect(() => fixture(mode).defineFieldTimer(app)).toThrow(/decorates methods; .*field/);
  });

  it('end `using` scopes when the block is left, and `await using` scopes after async work', async () => {
    const { app } = testCollector();
    const module = fixture(mode);
    const inside = module.scopedWork(app, (scope) => ({ ended: scope.ended, name: scope.name }));
    expect(inside).toEqual({ ended: false, name: 'Fixture.scope' });
    const error = new Error('block failed');
    expect(() => module.scopedFailure(app, error)).toThrow(error);
    const asyncScope = await module.scopedAsyncWork(app, 20);
    expect(asyncScope.ended).toBe(true);
    expect(asyncScope.elapsedSeconds).toBeGreaterThanOrEqual(0.01); // half the nominal 20 ms (see above)
    const samples = app.getCollectedMetrics();
    expect(samplesNamed(samples, 'Fixture.scope').map((sample) => [sample.tags, sample.context])).toEqual([
      [{ mode: 'sync', outcome: 'success' }, { step: 'started' }],
      [{ mode: 'sync', outcome: 'error' }, { error: 'Error: block failed' }],
    ]);
    expect(samplesNamed(samples, 'Fixture.asyncScope')[0]!.context).toEqual({ sleptMs: 20 });
    expect(app.getCallCounts()).toMatchObject({ 'Fixture.scope': 2, 'Fixture.asyncScope': 1 });
  });
});

/** Runs one scenario and returns what the registry holds, durations left out (they vary by run). */
async function scenario(module: FixtureModule): Promise<unknown> {
  const { app, registry } = testCollector();
  const { UserService, AdminService } = module.defineServices(app);
  const service = UserService.create('x');
  service.getUser(1);
  new AdminService('y').getUser(2);
  await service.loadUser(3, 1);
  service.fib(6);
  await service.reject('no').catch(() => undefined);
  module.scopedWork(app, () => 1);
  await module.scopedAsyncWork(app, 1);
  const shape = (family: FamilySnapshot) => ({
    name: family.name,
    series: family.series.map((series) => ({
      labels: series.labels,
      count: 'count' in series ? series.count : series.value,
    })),
  });
  // Registration order differs (standard mode binds default names when the class or its first
  // instance is initialised, legacy mode when the decorator runs): compare sorted.
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return {
    counts: Object.fromEntries(Object.entries(app.getCallCounts()).sort()),
    families: (await registry.collect({ sketches: false })).families
      .filter((family) => !family.name.startsWith('fw0_')) // self-metrics hold timings of the run
      .map(shape)
      .sort(byName),
    samples: app.getCollectedMetrics().map((sample) => [sample.name, sample.tags]),
  };
}

describe('both decorator modes', () => {
  it('produce the same names, labels, counts and samples', async () => {
    const standard = await scenario(fixture('standard'));
    const legacy = await scenario(fixture('legacy'));
    expect(legacy).toEqual(standard);
    // Every decorated method is known (zero calls included); the generator method is not timed.
    expect((standard as { counts: Record<string, number> }).counts).toEqual({
      'Fixture.asyncScope': 1,
      'Fixture.scope': 1,
      'UserService.allocate': 0,
      'UserService.create': 1,
      'UserService.fail': 0,
      'UserService.fib': 25,
      'UserService.getUser': 2,
      'UserService.hang': 0,
      'UserService.reenter': 0,
      'UserService.reject': 1,
      user_lookup: 1,
    });
  });
});
