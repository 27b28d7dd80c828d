import type { FamilySnapshot } from '@fw0/metrics-core';
import { ProtoWriter, utf8Length, varintLength } from '../protobuf/proto-writer.js';
import { Field, MetadataType } from './write-request.js';

/** Field tags (field number and wire type) of the remote-write messages this package writes. */
const TAG_TIMESERIES = (Field.WRITE_REQUEST_TIMESERIES << 3) | 2;
const TAG_LABELS = (Field.TIMESERIES_LABELS << 3) | 2;
const TAG_SAMPLES = (Field.TIMESERIES_SAMPLES << 3) | 2;
const TAG_NAME = (Field.LABEL_NAME << 3) | 2;
const TAG_VALUE = (Field.LABEL_VALUE << 3) | 2;
const TAG_SAMPLE_VALUE = (Field.SAMPLE_VALUE << 3) | 1;
const TAG_SAMPLE_TIMESTAMP = Field.SAMPLE_TIMESTAMP << 3;
const TAG_METADATA = (Field.WRITE_REQUEST_METADATA << 3) | 2;

const utf8 = new TextEncoder();

/**
 * The `TimeSeries.labels` fields of `pairs` (name, value), in the order given (the caller sorts),
 * built in `scratch` and returned as a copy of exactly their size.
 */
export function encodeLabels(
  pairs: readonly (readonly [string, string])[],
  scratch: ProtoWriter,
): Uint8Array {
  scratch.length = 0;
  for (const [label, value] of pairs) {
    const nameLength = utf8Length(label);
    const valueLength = utf8Length(value);
    const inner = 2 + varintLength(nameLength) + nameLength + varintLength(valueLength) + valueLength;
    scratch.ensure(inner + 8);
    scratch.byte(TAG_LABELS);
    scratch.varint(inner);
    scratch.byte(TAG_NAME);
    scratch.varint(nameLength);
    scratch.utf8(label, nameLength);
    scratch.byte(TAG_VALUE);
    scratch.varint(valueLength);
    scratch.utf8(value, valueLength);
  }
  return scratch.finish();
}

/**
 * The `TimeSeries.samples` field of one sample at `timestamp`, value zero: written after each
 * series' labels with the value put in place, so the timestamp varint is built once per push.
 */
export function sampleTail(timestamp: number): Uint8Array {
  const sampleLength = 1 + 8 + 1 + varintLength(timestamp);
  const tail = new ProtoWriter(2 + sampleLength);
  tail.byte(TAG_SAMPLES);
  tail.byte(sampleLength);
  tail.byte(TAG_SAMPLE_VALUE);
  tail.double(0);
  tail.byte(TAG_SAMPLE_TIMESTAMP);
  tail.varint(timestamp);
  return tail.finish();
}

/** Offset of the value's 8 bytes in a {@link sampleTail}. */
const VALUE_OFFSET = 3;

/** Writes one `WriteRequest.timeseries` entry: cached labels, then the sample tail with `value`. */
export function writeSeries(out: ProtoWriter, labels: Uint8Array, value: number, sample: Uint8Array): void {
  const seriesLength = labels.length + sample.length;
  out.ensure(seriesLength + 6);
  out.byte(TAG_TIMESERIES);
  out.varint(seriesLength);
  out.bytes(labels);
  const start = out.length;
  out.bytes(sample);
  out.doubleAt(start + VALUE_OFFSET, value);
}

/** A `WriteRequest.metadata` entry (type, family name, help, unit) of `family`, exposed as `name`. */
export function encodeMetadataEntry(family: FamilySnapshot, name: string): Uint8Array {
  const type =
    family.type === 'counter'
      ? MetadataType.COUNTER
      : family.type === 'gauge'
        ? MetadataType.GAUGE
        : MetadataType.HISTOGRAM;
  const fields: [number, Uint8Array][] = [
    [Field.METADATA_FAMILY_NAME, utf8.encode(name)],
    [Field.METADATA_HELP, utf8.encode(family.help)],
    [Field.METADATA_UNIT, utf8.encode(family.unit ?? '')],
  ];
  let inner = 2;
  for (const [, bytes] of fields) inner += 1 + varintLength(bytes.length) + bytes.length;
  const writer = new ProtoWriter(inner + 16);
  writer.byte(TAG_METADATA);
  writer.varint(inner);
  writer.byte(Field.METADATA_TYPE << 3);
  writer.byte(type);
  for (const [field, bytes] of fields) {
    writer.byte((field << 3) | 2);
    writer.varint(bytes.length);
    writer.bytes(bytes);
  }
  return writer.finish();
}
