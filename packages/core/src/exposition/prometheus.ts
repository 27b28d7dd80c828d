import type { FamilySnapshot, MetricsSnapshot } from '../snapshot.js';
import { escapeHelpPrometheus } from './text-common.js';
import { type TextDialect, writeText } from './text-writer.js';

/** Content type of the Prometheus text format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const prometheusDialect: TextDialect = {
  header(family: FamilySnapshot): string {
    const name = family.type === 'counter' ? `${family.name}_total` : family.name;
    const help = family.help === '' ? '' : `# HELP ${name} ${escapeHelpPrometheus(family.help)}\n`;
    return `${help}# TYPE ${name} ${family.type}\n`;
  },
  sumMustBeCounter: false,
  trailer: '',
};

/**
 * Writes a snapshot in the Prometheus text exposition format 0.0.4, as UTF-8 bytes ready to
 * send. Counters are exposed with `_total`; histograms as `_bucket` (cumulative, `le="+Inf"`
 * equal to `_count`), `_sum` and `_count`.
 */
export function encodePrometheus(snapshot: MetricsSnapshot): Buffer {
  return writeText(snapshot, prometheusDialect);
}

/** The Prometheus text 0.0.4 of a snapshot, as a string (see {@link encodePrometheus}). */
export function serializePrometheus(snapshot: MetricsSnapshot): string {
  return encodePrometheus(snapshot).toString('utf8');
}
