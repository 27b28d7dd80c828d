import {
  assertFinite,
  ConfigError,
  createPerformanceMetric,
  describeValue,
  InvalidNameError,
  InvalidValueError,
  type Labels,
  MAX_NAME_LENGTH,
  MetricType,
  normalizeLabelValue,
  normalizeUnit,
  type PerformanceMetric,
  type PerformanceMetricInit,
  validateLabelName,
} from '@fw0/metrics-core';

const TYPES: readonly string[] = Object.values(MetricType);

/**
 * Checks a caller's metric for `recordCustomMetric` and returns it as a well-formed sample:
 * name a non-empty string (any text: samples keep the caller's names), value finite, type a
 * `MetricType`, unit a valid unit (normalised), tags valid label names with string, number or
 * boolean values (canonicalised: sorted, strings), timestamp finite (default now), sample rate in
 * (0, 1], context an object. Throws a typed error naming the first bad field.
 */
export function validateCustomMetric(metric: PerformanceMetricInit): PerformanceMetric {
  if (typeof metric !== 'object' || metric === null) {
    throw new ConfigError(
      `Invalid custom metric ${describeValue(metric)}: expected a PerformanceMetric object`,
      {
        value: metric,
      },
    );
  }
  const { name } = metric;
  if (typeof name !== 'string' || name === '' || name.length > MAX_NAME_LENGTH) {
    throw new InvalidNameError(
      `Invalid custom metric name ${describeValue(name)}: expected a non-empty string of at most ${MAX_NAME_LENGTH} characters`,
      { value: name },
    );
  }
  assertFinite(name, metric.value);
  if (!TYPES.includes(metric.type)) {
    throw new ConfigError(
      `Invalid type ${describeValue(metric.type)} of custom metric "${name}": expected one of ${TYPES.join(', ')}`,
      { subject: name, value: metric.type },
    );
  }
  const unit = normalizeUnit(metric.unit);
  if (metric.timestamp !== undefined) assertFinite(name, metric.timestamp, 'timestamp');
  const rate = metric.sampleRate;
  if (rate !== undefined && (typeof rate !== 'number' || !(rate > 0 && rate <= 1))) {
    throw new InvalidValueError(
      `Invalid sample rate ${describeValue(rate)} of custom metric "${name}": expected a number in (0, 1]`,
      { subject: name, value: rate },
    );
  }
  const context = metric.context;
  if (context !== undefined && (typeof context !== 'object' || context === null)) {
    throw new ConfigError(
      `Invalid context ${describeValue(context)} of custom metric "${name}": expected an object`,
      {
        subject: name,
        value: context,
      },
    );
  }
  return createPerformanceMetric({
    name,
    value: metric.value,
    type: metric.type,
    unit,
    tags: canonicalSampleTags(name, metric.tags),
    context: context === undefined ? undefined : Object.freeze({ ...context }),
    timestamp: metric.timestamp,
    sampleRate: rate,
  });
}

function canonicalSampleTags(name: string, tags: unknown): Labels | undefined {
  if (tags === undefined) return undefined;
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
    throw new ConfigError(
      `Invalid tags ${describeValue(tags)} of custom metric "${name}": expected an object`,
      {
        subject: name,
        value: tags,
      },
    );
  }
  const record = tags as Record<string, unknown>;
  const labels: Record<string, string> = {};
  for (const label of Object.keys(record).sort()) {
    if (record[label] === undefined) continue;
    validateLabelName(name, label);
    labels[label] = normalizeLabelValue(name, label, record[label]);
  }
  return Object.freeze(labels);
}
