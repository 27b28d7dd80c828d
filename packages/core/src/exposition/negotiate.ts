/** The exposition formats the handler can answer with. */
export type ExpositionFormat = 'prometheus' | 'openmetrics' | 'json';

interface MediaRange {
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
  readonly q: number;
}

/**
 * RFC 9110's qvalue: `0`, `0.x`, `1`, `1.0` (any number of decimals accepted). Anything else
 * reads as 0, a refusal: `Number()` alone would take `0x1` or `1e0` for 1 and an empty value for
 * 0, and a malformed preference must never turn into a yes.
 */
function parseQuality(text: string): number {
  return /^(?:0(?:\.\d*)?|1(?:\.0*)?)$/.test(text) ? Number(text) : 0;
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
      if (key.toLowerCase() === 'q') q = parseQuality(value);
      else {
        params[key.toLowerCase()] = value.replace(/^"|"$/g, '');
      }
    }
    ranges.push({ type, params, q });
  }
  return ranges;
}

/**
 * How well `range` matches `format`: 0 no match, higher is more specific (RFC 9110: a range
 * with a matching version parameter is more specific than the bare type, so
 * `text/plain, text/plain;version=0.0.4;q=0` refuses the one text version served).
 */
function specificity(range: MediaRange, format: ExpositionFormat): number {
  if (range.type === '*/*') return 1;
  switch (format) {
    case 'openmetrics': {
      if (range.type !== 'application/openmetrics-text') return range.type === 'application/*' ? 2 : 0;
      const version = range.params.version;
      if (version === undefined) return 3;
      return version === '1.0.0' || version === '0.0.1' ? 4 : 0;
    }
    case 'prometheus': {
      if (range.type !== 'text/plain') return range.type === 'text/*' ? 2 : 0;
      const version = range.params.version;
      if (version === undefined) return 3;
      return version === '0.0.4' ? 4 : 0;
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

/**
 * True when the `Accept-Encoding` header allows gzip (RFC 9110 12.5.3): `gzip` (or its alias
 * `x-gzip`) listed with q above 0, or not listed and `*` with q above 0. An explicit `gzip;q=0`
 * wins over `*`, whatever the order.
 */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined) return false;
  let listed: number | undefined;
  let wildcard: number | undefined;
  for (const range of parseMediaRanges(acceptEncoding)) {
    if (range.type === 'gzip' || range.type === 'x-gzip') listed = Math.max(listed ?? 0, range.q);
    else if (range.type === '*') wildcard = Math.max(wildcard ?? 0, range.q);
  }
  return (listed ?? wildcard ?? 0) > 0;
}
