// Live dashboard of the fw0 metrics demo: one uPlot chart per panel, fed by /api/stream.
// Everything shown is inserted as text (textContent), never as HTML.
(() => {
  const KEEP = 300; // points per series (5 minutes at one frame a second)
  const COLORS = ['#2e90fa', '#f79009', '#12b76a', '#9e77ed', '#f04438', '#06aed4', '#ee46bc', '#667085'];
  const PHASES = ['resolve', 'connect', 'tls', 'processing', 'transfer'];
  const GIB = 2 ** 30;

  /**
   * Charts by name: { plot, data, labels, element, height }: one per panel, plus one per HTTP probe
   * (`phases <target>`). Exposed for tests as window.fw0Dashboard.
   */
  const charts = {};
  const state = { frames: 0, lastFrame: null };
  window.fw0Dashboard = { state, charts };

  const panel = (name) => document.querySelector(`[data-chart="${name}"] .chart`);
  const width = (element) => Math.max(280, element.clientWidth || 420);

  /**
   * (Re)creates a chart when its series set changes (cores appear, a timer is added). `element`:
   * where to draw (default: the panel named `name`; probe charts pass their own, since a target
   * is not safe to put in a selector).
   */
  function chart(name, labels, options = {}, element = panel(name)) {
    const existing = charts[name];
    if (existing && existing.labels.join('\u0000') === labels.join('\u0000')) return existing;
    const height = options.height ?? 190;
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
        height,
        series,
        axes: [{}, { size: 50 }],
        scales: { x: { time: true } },
        legend: { live: false },
        cursor: { show: false },
      },
      data,
      element,
    );
    charts[name] = { plot, data, labels, element, height };
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

    renderPhases(t, frame.probes);
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
    renderTable('values', frame.business);
    renderTable('gauges', frame.gauges);

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

  /** HTTP phase blocks by probe target: { root, chartElement, parts, total, name }. */
  const phaseBlocks = new Map();

  /** One block per HTTP probe: its phases over time (stacked) and a bar of its last probe. */
  function phaseBlock(target) {
    const root = document.createElement('div');
    root.className = 'probe-phases';
    root.dataset.target = target;
    const title = document.createElement('h3');
    title.textContent = target;
    title.title = target;
    const total = document.createElement('span');
    total.className = 'total';
    title.append(' ', total);
    const chartElement = document.createElement('div');
    chartElement.className = 'chart';
    const bar = document.createElement('div');
    bar.className = 'bar';
    const parts = PHASES.map((phase, i) => {
      const part = document.createElement('span');
      part.dataset.phase = phase;
      part.style.background = COLORS[i];
      bar.append(part);
      return part;
    });
    root.append(title, bar, chartElement);
    document.getElementById('phase-charts').append(root);
    return { root, chartElement, parts, total, name: `phases ${target}` };
  }

  function renderPhases(t, probes) {
    const seen = new Set();
    for (const probe of probes) {
      if (probe.kind !== 'http') continue;
      seen.add(probe.target);
      let block = phaseBlocks.get(probe.target);
      if (block === undefined) {
        block = phaseBlock(probe.target);
        phaseBlocks.set(probe.target, block);
      }
      chart(
        block.name,
        PHASES,
        { height: 120, series: (_, i) => ({ fill: `${COLORS[i]}55` }) },
        block.chartElement,
      );
      // Stacked: each series is the sum of the phases up to it.
      let running = 0;
      push(
        block.name,
        t,
        PHASES.map((phase) => (running += (probe.phases[phase] ?? 0) * 1000)),
      );
      // The bar: each phase's share of the last probe (the shares fill the bar).
      const seconds = PHASES.map((phase) => probe.phases[phase] ?? 0);
      const sum = seconds.reduce((a, b) => a + b, 0);
      block.parts.forEach((part, i) => {
        part.style.width = `${sum > 0 ? (seconds[i] / sum) * 100 : 0}%`;
        part.title = `${PHASES[i]} ${(seconds[i] * 1000).toFixed(3)} ms`;
      });
      block.total.textContent = `${(sum * 1000).toFixed(2)} ms (${probe.success ? 'up' : 'down'})`;
    }
    for (const [target, block] of phaseBlocks) {
      if (seen.has(target)) continue;
      charts[block.name]?.plot.destroy();
      delete charts[block.name];
      block.root.remove();
      phaseBlocks.delete(target);
    }
  }

  function renderProbes(probes) {
    const list = document.getElementById('probes');
    list.replaceChildren(
      ...probes.map((probe) => {
        const item = document.createElement('li');
        item.dataset.target = probe.target;
        const target = document.createElement('span');
        target.className = 'target';
        target.textContent = `${probe.kind} ${probe.target}`;
        target.title = probe.target;
        const result = document.createElement('span');
        result.className = probe.success ? 'ok' : 'fail';
        result.textContent = `${probe.success ? 'up' : 'down'} · ${(probe.successRatio * 100).toFixed(0)}% · ${((probe.durationSeconds || 0) * 1000).toFixed(1)} ms`;
        item.append(target, result);
        return item;
      }),
    );
  }

  /** Formats of a value by unit; other units (eur...) are counted amounts with their unit. */
  const FORMAT = {
    count: (value) => Number(value.toFixed(2)).toLocaleString('en'),
    bytes: (value) => `${(value / 2 ** 20).toFixed(1)} MiB`,
    ratio: (value) => `${(value * 100).toFixed(1)}%`,
  };
  const format = (value, unit) => FORMAT[unit]?.(value) ?? `${FORMAT.count(value)} ${unit}`;

  /** Fills table `id` with one row per item: its name, and its value formatted by unit. */
  function renderTable(id, items) {
    document.getElementById(id).replaceChildren(
      ...items.map((item) => {
        const row = document.createElement('tr');
        row.dataset.name = item.name;
        const name = document.createElement('td');
        name.textContent = item.name;
        const value = document.createElement('td');
        value.dataset.value = String(item.value);
        value.textContent = format(item.value, item.unit);
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
    for (const entry of Object.values(charts))
      entry.plot.setSize({ width: width(entry.element), height: entry.height });
  });
})();
