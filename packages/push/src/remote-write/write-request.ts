import { ProtoReader, WireType } from '../protobuf/proto-reader.js';

/**
 * Field numbers of the remote-write 1.0 protobuf messages (prometheus/prompb types.proto and
 * remote.proto): `WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata
 * metadata = 3; }`, `TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; }`,
 * `Label { string name = 1; string value = 2; }`, `Sample { double value = 1; int64 timestamp = 2; }`,
 * `MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }`.
 */
export const Field = {
  WRITE_REQUEST_TIMESERIES: 1,
  WRITE_REQUEST_METADATA: 3,
  TIMESERIES_LABELS: 1,
  TIMESERIES_SAMPLES: 2,
  LABEL_NAME: 1,
  LABEL_VALUE: 2,
  SAMPLE_VALUE: 1,
  SAMPLE_TIMESTAMP: 2,
  METADATA_TYPE: 1,
  METADATA_FAMILY_NAME: 2,
  METADATA_HELP: 4,
  METADATA_UNIT: 5,
} as const;

/** `MetricMetadata.MetricType` values of remote-write 1.0. */
export const MetadataType = { UNKNOWN: 0, COUNTER: 1, GAUGE: 2, HISTOGRAM: 3 } as const;

/** One label of a time series. */
export interface RemoteLabel {
  readonly name: string;
  readonly value: string;
}

/** One sample: a value at a time. */
export interface RemoteSample {
  readonly value: number;
  /** Milliseconds since the Unix epoch. */
  readonly timestamp: number;
}

/** A time series of a write request: its labels (`__name__` included) and samples. */
export interface RemoteTimeSeries {
  readonly labels: readonly RemoteLabel[];
  readonly samples: readonly RemoteSample[];
}

/** Metadata of a metric family (type, help, unit) as remote-write 1.0 carries it. */
export interface RemoteMetadata {
  /** A {@link MetadataType} value. */
  readonly type: number;
  readonly metricFamilyName: string;
  readonly help: string;
  readonly unit: string;
}

/** A decoded remote-write 1.0 `WriteRequest`. */
export interface WriteRequest {
  readonly timeseries: readonly RemoteTimeSeries[];
  readonly metadata: readonly RemoteMetadata[];
}

/**
 * Decodes a remote-write 1.0 `WriteRequest` (the protobuf, after snappy decompression): what a
 * receiver does. Unknown fields are skipped; corrupt input throws a `ParseError`.
 */
export function decodeWriteRequest(bytes: Uint8Array): WriteRequest {
  const reader = new ProtoReader(bytes);
  const timeseries: RemoteTimeSeries[] = [];
  const metadata: RemoteMetadata[] = [];
  while (reader.more) {
    const { field, wireType } = reader.tag();
    if (field === Field.WRITE_REQUEST_TIMESERIES && wireType === WireType.LENGTH_DELIMITED) {
      timeseries.push(decodeTimeSeries(reader.nested(reader.delimited())));
    } else if (field === Field.WRITE_REQUEST_METADATA && wireType === WireType.LENGTH_DELIMITED) {
      metadata.push(decodeMetadata(reader.nested(reader.delimited())));
    } else {
      reader.skip(wireType);
    }
  }
  return { timeseries, metadata };
}

function decodeTimeSeries(reader: ProtoReader): RemoteTimeSeries {
  const labels: RemoteLabel[] = [];
  const samples: RemoteSample[] = [];
  while (reader.more) {
    const { field, wireType } = reader.tag();
    if (field === Field.TIMESERIES_LABELS && wireType === WireType.LENGTH_DELIMITED) {
      const label = reader.nested(reader.delimited());
      let name = '';
      let value = '';
      while (label.more) {
        const inner = label.tag();
        if (inner.field === Field.LABEL_NAME && inner.wireType === WireType.LENGTH_DELIMITED)
          name = label.string();
        else if (inner.field === Field.LABEL_VALUE && inner.wireType === WireType.LENGTH_DELIMITED)
          value = label.string();
        else label.skip(inner.wireType);
      }
      labels.push({ name, value });
    } else if (field === Field.TIMESERIES_SAMPLES && wireType === WireType.LENGTH_DELIMITED) {
      const sample = reader.nested(reader.delimited());
      let value = 0;
      let timestamp = 0;
      while (sample.more) {
        const inner = sample.tag();
        if (inner.field === Field.SAMPLE_VALUE && inner.wireType === WireType.FIXED64)
          value = sample.double();
        else if (inner.field === Field.SAMPLE_TIMESTAMP && inner.wireType === WireType.VARINT)
          timestamp = sample.varint();
        else sample.skip(inner.wireType);
      }
      samples.push({ value, timestamp });
    } else {
      reader.skip(wireType);
    }
  }
  return { labels, samples };
}

function decodeMetadata(reader: ProtoReader): RemoteMetadata {
  let type = 0;
  let metricFamilyName = '';
  let help = '';
  let unit = '';
  while (reader.more) {
    const { field, wireType } = reader.tag();
    if (field === Field.METADATA_TYPE && wireType === WireType.VARINT) type = reader.varint();
    else if (field === Field.METADATA_FAMILY_NAME && wireType === WireType.LENGTH_DELIMITED)
      metricFamilyName = reader.string();
    else if (field === Field.METADATA_HELP && wireType === WireType.LENGTH_DELIMITED) help = reader.string();
    else if (field === Field.METADATA_UNIT && wireType === WireType.LENGTH_DELIMITED) unit = reader.string();
    else reader.skip(wireType);
  }
  return { type, metricFamilyName, help, unit };
}
