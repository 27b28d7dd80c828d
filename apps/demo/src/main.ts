#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { MetricsRegistry, startMetricsServer } from '@fw0/metrics-core';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9464' },
    host: { type: 'string', default: '127.0.0.1' },
    duration: { type: 'string' },
  },
});

const registry = new MetricsRegistry();
const requests = registry.counter({
  name: 'demo_requests_total',
  help: 'Synthetic requests handled by the demo.',
});
const latency = registry.histogram({
  name: 'demo_request_duration_seconds',
  help: 'Synthetic request latency.',
  unit: 'seconds',
});
const server = await startMetricsServer(registry, { port: Number(values.port), host: values.host });
console.log(`fw0 demo: metrics at ${server.url}`);

const timer = setInterval(() => {
  const route = Math.random() < 0.7 ? '/users' : '/orders';
  requests.add(1, { route });
  latency.observe(Math.exp(Math.log(0.05) + Math.random() - 0.5), { route });
}, 10);

const stop = async () => {
  clearInterval(timer);
  console.log(
    `requests: ${requests.get({ route: '/users' }) ?? 0} /users, p99 latency ${latency.quantile(0.99, { route: '/users' }).toFixed(4)} s`,
  );
  await server.close();
};
if (values.duration !== undefined) setTimeout(stop, Number(values.duration) * 1000);
process.once('SIGINT', stop);
