import { type ParsedExposition, parseExposition } from '@fw0/metrics-core';

/** Series in a Prometheus text exposition: its non-empty lines that are not comments. */
export function countSeries(text: string): number {
  let count = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start && text.charCodeAt(start) !== 35 /* # */) count++;
    start = end + 1;
  }
  return count;
}

/** A scrape parsed with core's strict parser (a `ParseError` if the text is not valid exposition). */
export class Scrape {
  private readonly bySample = new Map<
    string,
    { labels: Readonly<Record<string, string>>; value: number }[]
  >();

  constructor(readonly parsed: ParsedExposition) {
    for (const family of parsed.families) {
      for (const sample of family.samples) {
        let list = this.bySample.get(sample.name);
        if (list === undefined) this.bySample.set(sample.name, (list = []));
        list.push({ labels: sample.labels, value: sample.value });
      }
    }
  }

  static parse(text: string): Scrape {
    return new Scrape(parseExposition(text));
  }

  /** Sum of the samples named `name` (as written: `x_total`, `h_count`) whose labels match; undefined when none. */
  sum(
    name: string,
    match: (labels: Readonly<Record<string, string>>) => boolean = () => true,
  ): number | undefined {
    let total: number | undefined;
    for (const sample of this.bySample.get(name) ?? []) {
      if (match(sample.labels)) total = (total ?? 0) + sample.value;
    }
    return total;
  }

  /** Number of samples named `name`. */
  count(name: string): number {
    return this.bySample.get(name)?.length ?? 0;
  }
}
