import { type Labels, type LabelsInput, OVERFLOW_LABELS } from '@fw0/metrics-core';

const NO_TAGS: Labels = Object.freeze({});

interface LabelledSeries {
  readonly labels: Labels;
}

/**
 * The tags a sample carries: the canonical label set of the series it was recorded in (shared,
 * frozen: no allocation), or, when the record went to the overflow series, the caller's own
 * tags in canonical form (none: `{}`), so the sample still says what the event was.
 */
export function sampleTags(series: LabelledSeries, tags: LabelsInput | undefined): Labels {
  if (series.labels !== OVERFLOW_LABELS) return series.labels;
  // `null` tags (from JavaScript callers) are no tags, as everywhere else: the event had none.
  if (tags === undefined || tags === null) return NO_TAGS;
  const names = Object.keys(tags)
    .filter((name) => tags[name] !== undefined)
    .sort();
  const canonical: Record<string, string> = {};
  for (const name of names) canonical[name] = String(tags[name]);
  return Object.freeze(canonical);
}
