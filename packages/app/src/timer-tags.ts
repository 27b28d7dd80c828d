import {
  ConfigError,
  canonicalKey,
  describeValue,
  type Labels,
  type LabelsInput,
  normalizeLabelValue,
  OVERFLOW_LABELS,
  validateLabelName,
} from '@fw0/metrics-core';
import { AppLabel } from './names.js';

/** Label names a timer's tags may not use: ours (`outcome`), the histogram's `le`, core's overflow marker. */
const RESERVED_TAGS: readonly string[] = [AppLabel.OUTCOME, 'le', ...Object.keys(OVERFLOW_LABELS)];

/** A validated tag set: frozen, keys sorted, values strings, and its lookup key. */
export interface CanonicalTags {
  readonly labels: Labels;
  readonly key: string;
}

const NO_TAGS: CanonicalTags = Object.freeze({ labels: Object.freeze({}), key: '' });

/**
 * Checks a timer's tags and returns their canonical form. Throws `InvalidLabelError` for a bad or
 * reserved label name or a value that is not a string, number or boolean, and `ConfigError` when
 * `tags` is not an object; nothing is registered before the check passes.
 */
export function canonicalTags(timerName: string, tags: LabelsInput | undefined): CanonicalTags {
  if (tags === undefined) return NO_TAGS;
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
    throw new ConfigError(
      `Invalid tags ${describeValue(tags)} for timer "${timerName}": expected an object of label names to values`,
      { subject: timerName, value: tags },
    );
  }
  const names = Object.keys(tags)
    .filter((name) => tags[name] !== undefined)
    .sort();
  if (names.length === 0) return NO_TAGS;
  const labels: Record<string, string> = {};
  for (const name of names) {
    validateLabelName(timerName, name, RESERVED_TAGS);
    labels[name] = normalizeLabelValue(timerName, name, tags[name]);
  }
  return { labels: Object.freeze(labels), key: canonicalKey(labels) };
}
