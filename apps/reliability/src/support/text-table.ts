/** Formats rows as a plain-text table: a header, a rule, numbers right-aligned, text left-aligned. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const numeric = headers.map((_, column) =>
    rows.every((row) => /^[-+]?[\d.,]+(\s?[%a-zA-Z/]+)?$|^-$/.test(row[column] ?? '')),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** Bytes as MiB with `digits` decimals. */
export function mib(bytes: number, digits = 1): string {
  return (bytes / 1024 / 1024).toFixed(digits);
}

/** Bytes as signed MiB (`+0.12`, `-0.40`). */
export function signedMib(bytes: number, digits = 2): string {
  const text = mib(bytes, digits);
  return bytes >= 0 ? `+${text}` : text;
}

/** The 1, 5 and 15-minute load averages, as `os.loadavg()` gives them, to two decimals. */
export function formatLoad(load: readonly number[]): string {
  return load.map((value) => value.toFixed(2)).join(' ');
}
