import type { FamilySnapshot, MetricsSnapshot } from '../snapshot.js';
import { escapeHelpOpenMetrics } from './text-common.js';
import { type TextDialect, writeText } from './text-writer.js';

/** Content type of OpenMetrics 1.0 text. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

const openMetricsDialect: TextDialect = {
  header(family: FamilySnapshot): string {
    let out = `# TYPE ${family.name} ${family.type}\n`;
    if (family.unit !== undefined && family.unit !== 'count' && family.name.endsWith(`_${family.unit}`)) {
      out += `# UNIT ${family.name} ${family.unit}\n`;
    }
    if (family.help !== '') out += `# HELP ${family.name} ${escapeHelpOpenMetrics(family.help)}\n`;
    return out;
  },
  sumMustBeCounter: true,
  trailer: '# EOF\n',
};

/**
 * Writes a snapshot as OpenMetrics 1.0 text in UTF-8 bytes: families named without `_total`
 * (their counter samples carry it), `# UNIT` where the metric has one, and the closing `# EOF`.
 */
export function encodeOpenMetrics(snapshot: MetricsSnapshot): Buffer {
  return writeText(snapshot, openMetricsDialect);
}

/** The OpenMetrics 1.0 text of a snapshot, as a string (see {@link encodeOpenMetrics}). */
export function serializeOpenMetrics(snapshot: MetricsSnapshot): string {
  return encodeOpenMetrics(snapshot).toString('utf8');
}
