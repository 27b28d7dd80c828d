import type { Labels } from '../types.js';

/** Formats a sample value the way both text formats read it (`+Inf`, `-Inf`, `NaN`). */
export function formatValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

const LABEL_ESCAPES = /[\\"\n]/g;
const LABEL_ESCAPE_MAP: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n' };

/** Escapes a label value for both text formats: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return LABEL_ESCAPES.test(value) ? value.replace(LABEL_ESCAPES, (char) => LABEL_ESCAPE_MAP[char]!) : value;
}

/** Escapes HELP text for Prometheus 0.0.4: backslash and line feed. */
export function escapeHelpPrometheus(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Escapes HELP text for OpenMetrics: backslash, line feed and double quote. */
export function escapeHelpOpenMetrics(help: string): string {
  return help.replace(/[\\"\n]/g, (char) => LABEL_ESCAPE_MAP[char]!);
}

const renderedLabels = new WeakMap<Labels, string>();

/**
 * The inside of a label set's braces (`a="x",b="y"`), escaped; '' for no labels. Canonical
 * label sets are frozen and shared by their series, so each is rendered once and cached.
 */
export function renderLabels(labels: Labels): string {
  let rendered = renderedLabels.get(labels);
  if (rendered === undefined) {
    rendered = '';
    for (const name in labels) {
      rendered += `${rendered === '' ? '' : ','}${name}="${escapeLabelValue(labels[name]!)}"`;
    }
    renderedLabels.set(labels, rendered);
  }
  return rendered;
}
