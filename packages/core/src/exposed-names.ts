/**
 * Every sample name a family of `type` exposes in either text format, TYPE line included: the
 * counter `x` exposes `x`, `x_total` and `x_created`; the histogram `h` exposes `h_bucket`,
 * `h_count`, `h_sum` and `h_created`. Two families may not share any of these names, in one
 * registry or in merged snapshots.
 */
export function exposedSampleNames(type: 'counter' | 'gauge' | 'histogram', name: string): string[] {
  switch (type) {
    case 'counter':
      return [name, `${name}_total`, `${name}_created`];
    case 'histogram':
      return [name, `${name}_bucket`, `${name}_count`, `${name}_sum`, `${name}_created`];
    default:
      return [name];
  }
}
