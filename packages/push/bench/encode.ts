import { readFileSync } from 'node:fs';
import { MetricsRegistry, type MetricsSnapshot } from '@fw0/metrics-core';
import protobuf from 'protobufjs';
import { compressSync } from 'snappy';
import snappyjs from 'snappyjs';
import { nsPerOp, printComparison, type Targets } from '../../../bench-support/harness.js';
import { decodeWriteRequest, SeriesEncoder, snappyCompress } from '../src/index.js';

const FAMILIES = 10;
const LABEL_SETS = 1000;

/** 10,000 series: 5 counters and 5 gauges with 1,000 label sets each (what one push sends). */
function benchSnapshot(): MetricsSnapshot {
  const registry = new MetricsRegistry({ maxSeriesPerMetric: LABEL_SETS });
  for (let f = 0; f < FAMILIES; f++) {
    const counter = f < FAMILIES / 2;
    const metric = counter
      ? registry.counter({ name: `bench_requests_${f}_total`, help: 'Requests.' })
      : registry.gauge({ name: `bench_connections_${f}`, help: 'Connections.' });
    for (let id = 0; id < LABEL_SETS; id++) {
      const labels = {
        route: `/api/v1/items/${id}`,
        method: id % 3 ? 'GET' : 'POST',
        instance: 'bench-host:9100',
      };
      if (counter) (metric as ReturnType<MetricsRegistry['counter']>).add(id * 7 + f, labels);
      else (metric as ReturnType<MetricsRegistry['gauge']>).set(id * 0.5 + f, labels);
    }
  }
  return registry.snapshot({ sketches: false });
}

interface PlainWriteRequest {
  timeseries: {
    labels: { name: string; value: string }[];
    samples: { value: number; timestamp: number }[];
  }[];
}

/** The WriteRequest as protobufjs wants it: objects per series, labels sorted, `__name__` included. */
function toPlainRequest(snapshot: MetricsSnapshot): PlainWriteRequest {
  const timeseries: PlainWriteRequest['timeseries'] = [];
  for (const family of snapshot.families) {
    if (family.type === 'histogram') continue;
    const name = family.type === 'counter' ? `${family.name}_total` : family.name;
    for (const series of family.series) {
      const labels = [{ name: '__name__', value: name }];
      for (const label in series.labels) labels.push({ name: label, value: series.labels[label]! });
      labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      timeseries.push({ labels, samples: [{ value: series.value, timestamp: snapshot.timestamp }] });
    }
  }
  return { timeseries };
}

/** Remote-write body building: our encoder and snappy against protobufjs with snappyjs and native snappy. */
export async function benchEncode(targets: Targets): Promise<void> {
  const snapshot = benchSnapshot();
  const proto = readFileSync(new URL('../src/__fixtures__/remote-write.proto', import.meta.url), 'utf8');
  const WriteRequest = protobuf.parse(proto).root.lookupType('prometheus.WriteRequest');
  const warm = new SeriesEncoder();
  const protobufBytes = warm.encode(snapshot).bytes;
  const protobufjsBytes = WriteRequest.encode(toPlainRequest(snapshot)).finish();
  // The same message (bytes may differ: protobufjs leaves out zero values, as proto3 allows).
  if (
    JSON.stringify(decodeWriteRequest(protobufjsBytes)) !== JSON.stringify(decodeWriteRequest(protobufBytes))
  ) {
    throw new Error('the encoders disagree');
  }
  const options = { minCpuTimeMs: 1000 };

  // Every case is measured in two rounds, in the same order, and keeps its lower median: a
  // burst of load from other processes during one case then skews no ratio.
  const cases = {
    oursWarm: () => snappyCompress(warm.encode(snapshot).bytes),
    oursCold: () => snappyCompress(new SeriesEncoder().encode(snapshot).bytes),
    oursNative: () => compressSync(Buffer.from(warm.encode(snapshot).bytes)),
    pbjsSnappyjs: () => snappyjs.compress(WriteRequest.encode(toPlainRequest(snapshot)).finish()),
    pbjsNative: () => compressSync(Buffer.from(WriteRequest.encode(toPlainRequest(snapshot)).finish())),
    encodeWarm: () => warm.encode(snapshot),
    encodeCold: () => new SeriesEncoder().encode(snapshot),
    encodePbjs: () => WriteRequest.encode(toPlainRequest(snapshot)).finish(),
    compressOurs: () => snappyCompress(protobufBytes),
    compressJs: () => snappyjs.compress(protobufBytes),
    compressNative: () => compressSync(Buffer.from(protobufBytes)),
  };
  const best: Partial<Record<keyof typeof cases, number>> = {};
  for (let round = 0; round < 2; round++) {
    for (const [name, run] of Object.entries(cases) as [keyof typeof cases, () => unknown][]) {
      const median = await nsPerOp(run, options);
      best[name] = Math.min(best[name] ?? Number.POSITIVE_INFINITY, median);
    }
  }
  const {
    oursWarm,
    oursCold,
    oursNative,
    pbjsSnappyjs,
    pbjsNative,
    encodeWarm,
    encodeCold,
    encodePbjs,
    compressOurs,
    compressJs,
    compressNative,
  } = best as Record<keyof typeof cases, number>;

  const ms = (ns: number) => ns / 1e6;
  const both = { 'protobufjs+snappyjs': ms(pbjsSnappyjs), 'protobufjs+snappy(native)': ms(pbjsNative) };
  printComparison(
    'Remote-write body of 10,000 series (10 families x 1,000 label sets), encode + compress: milliseconds per body',
    'ms',
    [
      { name: 'ours (labels cached: every push after the first)', ours: ms(oursWarm), anchors: both },
      { name: 'ours (first push: label cache empty)', ours: ms(oursCold), anchors: both },
      { name: 'our encoder + native snappy', ours: ms(oursNative), anchors: both },
    ],
  );
  printComparison('The same, protobuf encoding only: milliseconds', 'ms', [
    { name: 'labels cached', ours: ms(encodeWarm), anchors: { protobufjs: ms(encodePbjs) } },
    { name: 'first push', ours: ms(encodeCold), anchors: { protobufjs: ms(encodePbjs) } },
  ]);
  printComparison('The same, snappy compression only (1.2 MiB of protobuf): milliseconds', 'ms', [
    {
      name: 'snappy block format',
      ours: ms(compressOurs),
      anchors: { snappyjs: ms(compressJs), 'snappy(native)': ms(compressNative) },
    },
  ]);
  const kib = (bytes: number) => bytes / 1024;
  const oursSize = snappyCompress(protobufBytes).length;
  const jsSize = snappyjs.compress(protobufBytes).length;
  const nativeSize = compressSync(Buffer.from(protobufBytes)).length;
  printComparison(
    `Compressed size of the same ${kib(protobufBytes.length).toFixed(0)} KiB protobuf: KiB`,
    'KiB',
    [
      {
        name: 'snappy block',
        ours: kib(oursSize),
        anchors: { snappyjs: kib(jsSize), 'snappy(native)': kib(nativeSize) },
      },
    ],
  );

  targets.check(
    'encode + compress of 10,000 series (labels cached) <= 20 ms (0.13% of the default 15 s interval)',
    ms(oursWarm) <= 20,
    `${ms(oursWarm).toFixed(2)} ms`,
  );
  targets.check(
    'encode + compress of 10,000 series >= 2x faster than protobufjs + snappyjs (labels cached)',
    pbjsSnappyjs / oursWarm >= 2,
    `${ms(oursWarm).toFixed(2)} ms vs ${ms(pbjsSnappyjs).toFixed(2)} ms = ${(pbjsSnappyjs / oursWarm).toFixed(2)}x`,
  );
  targets.check(
    'first push of 10,000 series (label cache empty, built once) <= 100 ms',
    ms(oursCold) <= 100,
    `${ms(oursCold).toFixed(2)} ms (protobufjs + snappyjs, which caches nothing: ${ms(pbjsSnappyjs).toFixed(2)} ms)`,
  );
  targets.check(
    'compressed size within 2% of native snappy',
    oursSize <= nativeSize * 1.02,
    `${oursSize} vs ${nativeSize} bytes`,
  );
}
