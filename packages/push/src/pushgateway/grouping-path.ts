/**
 * The Pushgateway's grouping key as a URL path: `/metrics/job/<job>/<label>/<value>...`. A value
 * that cannot be a path segment goes as `<label>@base64/<base64url of the UTF-8>`, as the
 * Pushgateway documents: one that contains `/`, is empty (`<label>@base64/=`), or is `.` or `..`
 * (URL parsers and proxies resolve those as dot segments, even percent-encoded); any other value
 * is percent-encoded.
 */
export function groupingPath(job: string, labels: Readonly<Record<string, string>>): string {
  let path = `/metrics/${segment('job', job)}`;
  for (const name of Object.keys(labels).sort()) path += `/${segment(name, labels[name]!)}`;
  return path;
}

function segment(name: string, value: string): string {
  if (value === '') return `${name}@base64/=`;
  if (value.includes('/') || value === '.' || value === '..')
    return `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `${name}/${encodeURIComponent(value)}`;
}
