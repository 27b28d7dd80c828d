// Live dashboard of the fw0 metrics demo: one uPlot chart per panel, fed by /api/stream.
// Everything shown is inserted as text (textContent), never as HTML.
(() => {
  const KEEP = 300; // points per series (5 minutes at one frame a second)
  const COLORS = ['#2e90fa', '#f79009', '#12b76a', '#9e77ed', '#f04438', '#06aed4', '#ee46bc', '#667085'];
  const PHASES = ['resolve', 'connect', 'tls', 'processing', 'transfer'];
  const GIB = 2 ** 30;

  /** Charts by panel name: { plot, data, labels }. Exposed for tests as window.fw0Dashboard. */
  const charts = {};
  const state = { frames: 0, lastFrame: null };
  window.fw0Dashboard = { state, charts };

  const panel = (name) => document.querySelector(`[data-chart="${name}"] .chart`);
  const width = (element) => Math.max(320, element.clientWidth || 420);

  /** (Re)creates a chart when its series set changes (cores appear, a timer is added). */
  function chart(name, labels, options = {}) {
    const existing = charts[name];
    if (existing && existing.labels.join('\u0000') === labels.join('\u0000')) return existing;
    const element = panel(name);
    if (existing) existing.plot.destroy();
    const data = [[], ...labels.map(() => [])];
    if (existing) {
      // Keep the history of series that are still there.
      data[0] = existing.data[0];
      labels.forEach((label, i) => {
        const old = existing.labels.indexOf(label);
        data[i + 1] = old >= 0 ? existing.data[old + 1] : existing.data[0].map(() => null);
      });
    }
    const series = [
      {},
      ...labels.map((label, i) => ({
        label,
        stroke: COLORS[i % COLORS.length],
        width: 1.5,
        points: { show: false },
        ...(options.series?.(label, i) ?? {}),
      })),
    ];
    const plot = new uPlot(
      {
        width: width(element),
        height: 190,
        series,
        axes: [{}, { size: 50 }],
        scales: { x: { time: true } },
        legend: { live: false },
        cursor: { show: false },
      },
      data,
      element,
    );
    charts[name] = { plot, data, labels };
    return charts[name];
  }

  function push(name, time, values) {
    const entry = charts[name];
    entry.data[0].push(time);
    for (const [i, value] of values.entries()) entry.data[i + 1].push(value ?? null);
    if (entry.data[0].length > KEEP) for (const column of entry.data) column.splice(0, column.length - KEEP);
    entry.plot.setData(entry.data);
  }

  const round = (value, factor) => (value == null ? null : value * factor);

  function render(frame) {
    const t = frame.t / 1000;
    const cores = frame.cpu.cores.map((_, i) => `cpu${i}`);
    chart('cpu', ['all', ...cores], {
      series: (label) => (label === 'all' ? { width: 2.5, stroke: '#1d2330' } : {}),
    });
    push('cpu', t, [frame.cpu.overall, ...frame.cpu.cores]);

    chart('memory', ['used', 'available', 'swap used']);
    push('memory', t, [
      round(frame.memory.usedBytes, 1 / GIB),
      round(frame.memory.availableBytes, 1 / GIB),
      round(frame.memory.swapUsedBytes, 1 / GIB),
    ]);

    chart('disk', ['read', 'written']);
    push('disk', t, [
      round(frame.disk.readBytesPerSecond, 1 / 2 ** 20),
      round(frame.disk.writeBytesPerSecond, 1 / 2 ** 20),
    ]);

    chart('network', ['received', 'sent']);
    push('network', t, [
      round(frame.network.receiveBytesPerSecond, 1 / 1024),
      round(frame.network.transmitBytesPerSecond, 1 / 1024),
    ]);

    const timers = frame.timers.slice(0, 4);
    const timerLabels = timers.flatMap((timer) => [`${timer.name} p50`, `${timer.name} p99`]);
    chart('timers', timerLabels, {
      series: (label, i) => ({
        stroke: COLORS[Math.floor(i / 2) % COLORS.length],
        dash: label.endsWith('p99') ? [6, 4] : undefined,
      }),
    });
    push(
      'timers',
      t,
      timers.flatMap((timer) => [round(timer.p50, 1000), round(timer.p99, 1000)]),
    );

    const main = frame.probes.find((probe) => probe.kind === 'http');
    chart('phases', PHASES, { series: (_, i) => ({ fill: `${COLORS[i]}55` }) });
    // Stacked: each series is the sum of the phases up to it.
    let running = 0;
    push(
      'phases',
      t,
      PHASES.map((phase) => (main ? (running += (main.phases[phase] ?? 0) * 1000) : null)),
    );
    renderProbes(frame.probes);

    // Counts per second on the chart (one scale); amounts in other units are in the table below.
    const rates = frame.business.filter((item) => item.rate != null && item.unit === 'count');
    chart(
      'business',
      rates.map((item) => `${item.name} (${item.unit}/s)`),
    );
    push(
      'business',
      t,
      rates.map((item) => item.rate),
    );
    renderValues(frame.business);

    chart('runtime', ['event loop p99 (ms)', 'utilisation (%)']);
    push('runtime', t, [
      round(frame.runtime.eventLoopP99Seconds, 1000),
      round(frame.runtime.utilization, 100),
    ]);

    state.frames++;
    state.lastFrame = frame;
    const summary = document.getElementById('summary');
    summary.textContent =
      `CPU ${frame.cpu.overall == null ? '–' : frame.cpu.overall.toFixed(1)}% · memory used ${(frame.memory.usedBytes / GIB).toFixed(2)} GiB · ` +
      `${frame.timers.length} timers · ${frame.probes.length} probes · ${state.frames} frames`;
  }

  function renderProbes(probes) {
    const list = document.getElementById('probes');
    list.replaceChildren(
      ...probes.map((probe) => {
        const item = document.createElement('li');
        const target = document.createElement('span');
        target.className = 'target';
        target.textContent = `${probe.kind} ${probe.target}`;
        target.title = probe.target;
        const bar = document.createElement('span');
        bar.className = 'bar';
        const total = probe.durationSeconds || 0;
        PHASES.forEach((phase, i) => {
          const part = document.createElement('span');
          part.style.width = `${total > 0 ? ((probe.phases[phase] ?? 0) / total) * 100 : 0}%`;
          part.style.background = COLORS[i];
          part.title = `${phase} ${((probe.phases[phase] ?? 0) * 1000).toFixed(2)} ms`;
          bar.append(part);
        });
        const result = document.createElement('span');
        result.className = probe.success ? 'ok' : 'fail';
        result.textContent = `${probe.success ? 'up' : 'down'} · ${(probe.successRatio * 100).toFixed(0)}% · ${(total * 1000).toFixed(1)} ms`;
        item.append(target, bar, result);
        return item;
      }),
    );
  }

  function renderValues(items) {
    const table = document.getElementById('values');
    table.replaceChildren(
      ...items.map((item) => {
        const row = document.createElement('tr');
        const name = document.createElement('td');
        name.textContent = item.name;
        const value = document.createElement('td');
        value.textContent = `${Number(item.value.toFixed(2)).toLocaleString('en')} ${item.unit}`;
        row.append(name, value);
        return row;
      }),
    );
  }

  function connect() {
    const status = document.getElementById('status');
    const source = new EventSource('/api/stream');
    source.addEventListener('history', (event) => {
      for (const frame of JSON.parse(event.data)) render(frame);
    });
    source.onmessage = (event) => {
      status.textContent = 'live';
      status.className = 'live ok';
      render(JSON.parse(event.data));
    };
    source.onerror = () => {
      status.textContent = 'reconnecting…';
      status.className = 'live down';
    };
  }

  connect();
  window.addEventListener('resize', () => {
    for (const name of Object.keys(charts))
      charts[name].plot.setSize({ width: width(panel(name)), height: 190 });
  });
})();
