/** The systeminformation module, as its typings describe it. */
export type SystemInformation = typeof import('systeminformation');

let loading: Promise<SystemInformation> | undefined;

/**
 * Loads systeminformation on first use, never on import of this package: it is only needed for
 * the host inventory and on platforms without /proc.
 */
export function loadSystemInformation(): Promise<SystemInformation> {
  loading ??= import('systeminformation').then(
    (module) => ((module as { default?: SystemInformation }).default ?? module) as SystemInformation,
  );
  return loading;
}
