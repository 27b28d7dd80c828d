/**
 * @fw0/metrics-push: push a registry's metrics to distributed stores. A Prometheus remote-write
 * 1.0 exporter (Prometheus, VictoriaMetrics, Mimir, Thanos...) with a bounded queue, retries and
 * flush on shutdown, and a Pushgateway client for batch jobs.
 */

export type { ResolvedRetry, RetryOptions } from './backoff.js';
export type { TlsOptions } from './http/agent.js';
export { PushRequestError } from './http/send.js';
export {
  DEFAULT_PUSHGATEWAY_NAME,
  DEFAULT_REMOTE_WRITE_NAME,
  DropReason,
  type FailureReason,
  PushLabel,
  PushMetricName,
  REMOTE_WRITE_HEADERS,
} from './names.js';
export {
  getPushgatewayClient,
  type PushFailure,
  PushgatewayClient,
  type PushgatewayOperation,
  type PushResult,
  type PushSuccess,
} from './pushgateway/client.js';
export { groupingPath } from './pushgateway/grouping-path.js';
export type { PushgatewayOptions } from './pushgateway/options.js';
export { type FlushOptions, getRemoteWriteExporter, RemoteWriteExporter } from './remote-write/exporter.js';
export type { RemoteWriteOptions } from './remote-write/options.js';
export { type EncodedBatch, SeriesEncoder } from './remote-write/series-encoder.js';
export {
  decodeWriteRequest,
  MetadataType,
  type RemoteLabel,
  type RemoteMetadata,
  type RemoteSample,
  type RemoteTimeSeries,
  type WriteRequest,
} from './remote-write/write-request.js';
export { maxCompressedLength, snappyCompress } from './snappy/compress.js';
export { snappyDecompress } from './snappy/decompress.js';
