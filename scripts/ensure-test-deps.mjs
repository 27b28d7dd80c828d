#!/usr/bin/env node
// Installs the Debian packages the tests run against, if any is missing. Tests never skip for
// lack of a component: without them they fail, so `pnpm test` provides them first.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** What the tests need: a file that proves the package is there, and the Debian package. */
const REQUIRED = [
  ['/usr/bin/prometheus', 'prometheus'],
  ['/usr/bin/promtool', 'prometheus'],
  ['/usr/bin/prometheus-node-exporter', 'prometheus-node-exporter'],
  ['/usr/bin/prometheus-pushgateway', 'prometheus-pushgateway'],
  ['/usr/bin/victoria-metrics', 'victoria-metrics'],
  ['/usr/lib/python3/dist-packages/psutil/__init__.py', 'python3-psutil'],
  ['/usr/lib/python3/dist-packages/prometheus_client/__init__.py', 'python3-prometheus-client'],
  ['/usr/bin/chromium', 'chromium'],
  ['/usr/bin/stress-ng', 'stress-ng'],
  ['/usr/bin/openssl', 'openssl'],
  ['/usr/bin/curl', 'curl'],
  ['/bin/ss', 'iproute2'],
  ['/usr/bin/wrk', 'wrk'],
];

const missing = [
  ...new Set(
    REQUIRED.filter(([path]) => {
      try {
        accessSync(path, constants.R_OK);
        return false;
      } catch {
        return true;
      }
    }).map(([, pkg]) => pkg),
  ),
];

if (missing.length === 0) process.exit(0);

console.log(`Installing Debian packages the tests need: ${missing.join(' ')}`);
const asRoot = process.getuid?.() === 0;
const prefix = asRoot ? [] : ['sudo', '-n'];
const run = (args) => {
  const [command, ...rest] = [...prefix, ...args];
  return spawnSync(command, rest, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
};
const update = run(['apt-get', 'update', '-qq']);
const install =
  update.status === 0
    ? run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing])
    : update;
if (install.status !== 0) {
  console.error(
    `Could not install ${missing.join(' ')} (run as root, or with passwordless sudo, or install them yourself: sudo apt-get install ${missing.join(' ')})`,
  );
  process.exit(1);
}
