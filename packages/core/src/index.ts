/**
 * @fw0/metrics-core: the contracts and engine every fw0 metrics collector shares.
 */

export { type CoarseClock, coarseClock, ManualClock } from './clock.js';
export { SampleBuffer } from './collect/sample-buffer.js';
export { AdaptiveSampler, NameSampler } from './collect/sampler.js';
export { BaseCollector, type Collector, type CollectorOptions } from './collector.js';
export {
  ClosedError,
  ConfigError,
  describeValue,
  ErrorCode,
  type ErrorDetails,
  Fw0Error,
  InvalidLabelError,
  InvalidNameError,
  InvalidTargetError,
  InvalidValueError,
  isFw0Error,
  MergeError,
  MetricConflictError,
  ParseError,
  RemoteError,
  TimeoutError,
  UnitError,
} from './errors.js';
export { exposedSampleNames } from './exposed-names.js';
export {
  createMetricsHandler,
  type MetricsHandlerOptions,
  type MetricsRequestHandler,
} from './exposition/http-handler.js';
export {
  JSON_CONTENT_TYPE,
  type JsonExposition,
  type JsonFamily,
  type JsonSeries,
  type JsonSummary,
  serializeJson,
  toJsonExposition,
} from './exposition/json.js';
export {
  type MetricsServer,
  type MetricsServerOptions,
  startMetricsServer,
} from './exposition/metrics-server.js';
export { acceptsGzip, type ExpositionFormat, negotiateFormat } from './exposition/negotiate.js';
export {
  encodeOpenMetrics,
  OPENMETRICS_CONTENT_TYPE,
  serializeOpenMetrics,
} from './exposition/openmetrics.js';
export {
  type ParsedExposition,
  type ParsedFamily,
  type ParsedSample,
  parseExposition,
} from './exposition/parse.js';
export { encodePrometheus, PROMETHEUS_CONTENT_TYPE, serializePrometheus } from './exposition/prometheus.js';
export { escapeLabelValue, formatValue, renderLabels } from './exposition/text-common.js';
export { Counter, CounterSeries } from './instruments/counter.js';
export { Gauge, type GaugeDefinition, GaugeSeries } from './instruments/gauge.js';
export {
  Histogram,
  type HistogramDefinition,
  HistogramSeries,
  type HistogramSummary,
} from './instruments/histogram.js';
export type { Instrument, InstrumentDefinition } from './instruments/instrument.js';
export { canonicalKey, OVERFLOW_LABELS } from './instruments/series-index.js';
export { debugLogger, type LogFields, type Logger, safeLog, silentLogger } from './logger.js';
export { mergeSnapshots } from './merge.js';
export { PeriodicTask, type PeriodicTaskOptions } from './periodic-task.js';
export {
  type AnyInstrument,
  type CollectOptions,
  isMetricsRegistry,
  MetricsRegistry,
  type RegistryOptions,
} from './registry.js';
export { SelfMetricName, SelfMetrics } from './self-metrics.js';
export {
  BYTES_BUCKETS,
  COUNT_BUCKETS,
  defaultBuckets,
  exponentialBuckets,
  linearBuckets,
  RATIO_BUCKETS,
  SECONDS_BUCKETS,
} from './sketch/buckets.js';
export {
  type BinsData,
  DEFAULT_MAX_BINS,
  DEFAULT_RELATIVE_ACCURACY,
  type DistributionSummary,
  LogMapping,
  MIN_INDEXABLE,
  mappingFor,
  SketchCounts,
  type SketchData,
  sketchDataQuantile,
  sketchFromData,
  summarizeCounts,
} from './sketch/log-sketch.js';
export type {
  CounterFamilySnapshot,
  FamilySnapshot,
  GaugeAggregation,
  GaugeFamilySnapshot,
  HistogramFamilySnapshot,
  HistogramSeriesSnapshot,
  MetricsSnapshot,
  NumberSeriesSnapshot,
} from './snapshot.js';
export {
  createPerformanceMetric,
  type Labels,
  type LabelsInput,
  MetricType,
  type PerformanceMetric,
  type PerformanceMetricInit,
} from './types.js';
export {
  baseUnitOf,
  convertValue,
  isMetricUnit,
  MetricUnit,
  nameWithUnit,
  normalizeUnit,
  toBaseUnit,
  type Unit,
  type UnitDimension,
  unitDimension,
  unitSuffix,
} from './units.js';
export {
  assertFinite,
  assertIntegerOption,
  assertNonNegative,
  assertNumberOption,
  MAX_NAME_LENGTH,
  normalizeLabelValue,
  validateLabelName,
  validateMetricName,
} from './validation.js';
