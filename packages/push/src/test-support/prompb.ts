import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

/** The `prometheus.WriteRequest` type of protobufjs, from the .proto fixture: an independent decoder. */
export function prompbWriteRequest(): protobuf.Type {
  const text = readFileSync(new URL('../__fixtures__/remote-write.proto', import.meta.url), 'utf8');
  return protobuf.parse(text, { keepCase: false }).root.lookupType('prometheus.WriteRequest');
}

/** A write request decoded by protobufjs, as plain objects (timestamps as numbers). */
export interface ProtobufJsWriteRequest {
  timeseries: {
    labels: { name: string; value: string }[];
    samples: { value: number; timestamp: number }[];
  }[];
  metadata: { type: number; metricFamilyName: string; help: string; unit: string }[];
}

/** Decodes `bytes` with protobufjs. */
export function decodeWithProtobufJs(type: protobuf.Type, bytes: Uint8Array): ProtobufJsWriteRequest {
  return type.toObject(type.decode(bytes), {
    longs: Number,
    enums: Number,
    defaults: true,
    arrays: true,
  }) as ProtobufJsWriteRequest;
}
