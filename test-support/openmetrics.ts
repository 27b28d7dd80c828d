import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/**
 * A strict OpenMetrics 1.0 check. Debian's promtool (2.42) lints OpenMetrics text with the 0.0.4
 * grammar, so it proves nothing about OpenMetrics; the reference Python client's parser
 * (`prometheus_client.openmetrics.parser`, Debian package python3-prometheus-client) implements
 * the OpenMetrics grammar and refuses what breaks it: a missing `# EOF`, a counter sample without
 * `_total`, bad escapes, interleaved families, buckets out of order, and so on.
 */

const PARSER_MODULE = '/usr/lib/python3/dist-packages/prometheus_client/__init__.py';
const PYTHON = '/usr/bin/python3';

/** One sample as the parser read it. */
export interface OpenMetricsSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One metric family as the parser read it. */
export interface OpenMetricsFamily {
  readonly name: string;
  readonly type: string;
  readonly unit: string;
  readonly help: string;
  readonly samples: readonly OpenMetricsSample[];
}

/** Text the OpenMetrics parser refused; `message` is the parser's own. */
export class OpenMetricsParseError extends Error {
  override readonly name = 'OpenMetricsParseError';
}

// Reads the exposition from stdin and prints its families as JSON; a parse error exits 3 with
// the parser's message (the parser is lazy: the families are walked to the end).
const SCRIPT = `
import json, math, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
text = sys.stdin.read()
try:
    families = []
    for family in text_string_to_metric_families(text):
        families.append({
            'name': family.name, 'type': family.type, 'unit': family.unit, 'help': family.documentation,
            'samples': [{'name': s.name, 'labels': s.labels,
                         'value': s.value if math.isfinite(s.value) else str(s.value)} for s in family.samples],
        })
except Exception as error:
    sys.stderr.write(f'{type(error).__name__}: {error}')
    sys.exit(3)
json.dump(families, sys.stdout)
`;

/** Python's names of the values JSON cannot hold. */
const NON_FINITE: Readonly<Record<string, number>> = { inf: Infinity, '-inf': -Infinity, nan: Number.NaN };

/**
 * Parses `text` with the reference OpenMetrics parser (bounded: 30 s). Returns the families it
 * read; throws {@link OpenMetricsParseError} with the parser's message when the text is not
 * valid OpenMetrics, and a plain Error when the parser is not installed.
 */
export function parseOpenMetricsStrictly(text: string): OpenMetricsFamily[] {
  try {
    accessSync(PARSER_MODULE, constants.R_OK);
  } catch {
    throw new Error(
      `${PARSER_MODULE} not found: install the Debian package python3-prometheus-client (pnpm test installs it when run as root)`,
    );
  }
  const result = spawnSync(PYTHON, ['-c', SCRIPT], {
    input: text,
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 256 * 2 ** 20,
  });
  if (result.error) throw result.error;
  if (result.status === 3) throw new OpenMetricsParseError(result.stderr);
  if (result.status !== 0) throw new Error(`python3 exited with ${result.status}: ${result.stderr}`);
  const families = JSON.parse(result.stdout) as (Omit<OpenMetricsFamily, 'samples'> & {
    samples: { name: string; labels: Record<string, string>; value: number | string }[];
  })[];
  return families.map((family) => ({
    ...family,
    samples: family.samples.map((sample) => ({
      ...sample,
      value: NON_FINITE[sample.value] ?? Number(sample.value),
    })),
  }));
}
