/** The exposition formats the handler can answer with. */
export type ExpositionFormat = 'prometheus' | 'openmetrics' | 'json';

interface MediaRange {
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
  readonly q: number;
}

function parseMediaRanges(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [typePart, ...paramParts] = part.split(';');
    const type = typePart?.trim().toLowerCase();
    if (!type) continue;
    const params: Record<string, string> = {};
    let q = 1;
    for (const param of paramParts) {
      const [key, value = ''] = param.split('=').map((item) => item.trim());
      if (!key) continue;
      if (key.toLowerCase() === 'q') {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? Math.min(1, Math.max(0, parsed)) : 0;
      } else {
        params[key.toLowerCase()] = value.replace(/^"|"$/g, '');
      }
    }
    ranges.push({ type, params, q });
  }
  return ranges;
}

/** How well `range` matches `format`: 0 no match, higher is more specific. */
function specificity(range: MediaRange, format: ExpositionFormat): number {
  if (range.type === '*/*') return 1;
  switch (format) {
    case 'openmetrics': {
      if (range.type !== 'application/openmetrics-text') return range.type === 'application/*' ? 2 : 0;
      const version = range.params.version;
      return version === undefined || version === '1.0.0' || version === '0.0.1' ? 3 : 0;
    }
    case 'prometheus': {
      if (range.type !== 'text/plain') return range.type === 'text/*' ? 2 : 0;
      const version = range.params.version;
      return version === undefined || version === '0.0.4' ? 3 : 0;
    }
    case 'json':
      if (range.type === 'application/json') return 3;
      return range.type === 'application/*' ? 2 : 0;
  }
}

/** Formats in order of preference when the client rates them equally. */
const PREFERENCE: readonly ExpositionFormat[] = ['openmetrics', 'prometheus', 'json'];

/**
 * Picks the format for an `Accept` header (RFC 9110 q-values; the most specific matching range
 * decides a format's q). No header, or only `*\/*`, gives Prometheus text, as scrapers expect.
 * Returns undefined when the client accepts none of the formats.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat | undefined {
  if (accept === undefined || accept.trim() === '') return 'prometheus';
  const ranges = parseMediaRanges(accept);
  let best: ExpositionFormat | undefined;
  let bestQ = 0;
  let onlyWildcards = true;
  for (const format of PREFERENCE) {
    let matched = 0;
    let q = 0;
    for (const range of ranges) {
      const score = specificity(range, format);
      if (score > matched) {
        matched = score;
        q = range.q;
      }
    }
    if (matched > 1) onlyWildcards = false;
    if (matched > 0 && q > bestQ) {
      best = format;
      bestQ = q;
    }
  }
  if (best !== undefined && onlyWildcards) return 'prometheus';
  return best;
}

/** True when the `Accept-Encoding` header allows gzip (q above 0). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined) return false;
  return parseMediaRanges(acceptEncoding).some(
    (range) => (range.type === 'gzip' || range.type === '*') && range.q > 0,
  );
}
