// GopiAI.Toolkit live dashboard. Plain script, no libraries, nothing loaded from anywhere but the dashboard's own path.
// Listens to {base}/events (Server-Sent Events): a "snapshot" event replaces the time series, an "update" event appends
// the points it carries; both carry the whole current state. Every text goes through textContent: names from the
// application (endpoints, caches, alerts) are never parsed as HTML.
(function () {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  const MAX_POINTS = 900;
  const SPARK_POINTS = 120;
  const base = document.body.dataset.base || '';
  const state = { series: [], snapshot: null, events: 0, trends: new Map() };

  // ---- formatting ---------------------------------------------------------------------------------------------------

  function num(value) { return Math.round(value).toLocaleString('en-US'); }
  function pct(share) { return (100 * share).toFixed(1) + ' %'; }
  function mb(bytes) {
    if (bytes == null) { return '–'; }
    return bytes >= 10 * 1073741824 ? (bytes / 1073741824).toFixed(1) + ' GB' : (bytes / 1048576).toFixed(1) + ' MB';
  }
  function ms(value) {
    if (value === 0) { return '0'; }
    if (value < 1) { return (value * 1000).toFixed(0) + ' µs'; }
    if (value < 10) { return value.toFixed(2) + ' ms'; }
    if (value < 1000) { return value.toFixed(0) + ' ms'; }
    return (value / 1000).toFixed(2) + ' s';
  }
  function duration(seconds) {
    if (seconds < 60) { return seconds.toFixed(0) + ' s'; }
    if (seconds < 3600) { return Math.floor(seconds / 60) + ' min ' + Math.floor(seconds % 60) + ' s'; }
    return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min';
  }
  function clock(iso) { return new Date(iso).toLocaleTimeString('en-GB'); }
  // Keeps the end of a long name (Type.Method of Namespace.Type.Method), where names differ.
  function shorten(name, max) { return name.length > max ? '…' + name.slice(name.length - max + 1) : name; }

  // ---- DOM helpers --------------------------------------------------------------------------------------------------

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text != null) { node.textContent = String(text); }
    if (attrs) { for (const key of Object.keys(attrs)) { node.setAttribute(key, attrs[key]); } }
    return node;
  }
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const key of Object.keys(attrs || {})) { node.setAttribute(key, String(attrs[key])); }
    if (text != null) { node.textContent = String(text); }
    return node;
  }
  function setValue(name, text) {
    for (const node of document.querySelectorAll('[data-value="' + name + '"]')) { node.textContent = text; }
  }
  function replace(parent, children) { parent.replaceChildren(...children); }
  function row(cells, attrs) {
    const tr = el('tr', null, attrs);
    for (const cell of cells) { tr.append(cell instanceof Node ? wrapCell(cell) : el('td', cell)); }
    return tr;
  }
  function wrapCell(node) { const td = el('td'); td.append(node); return td; }
  function emptyRow(columns, text) {
    const tr = el('tr');
    const td = el('td', text, { colspan: columns });
    td.className = 'none';
    tr.append(td);
    return tr;
  }
  function emptyItem(text) { const li = el('li', text); li.className = 'none'; return li; }

  // "Nice" axis maximum: 1, 2, 2.5 or 5 x 10^n, at least the value.
  function niceMax(value) {
    if (!(value > 0)) { return 1; }
    const magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 2.5, 5, 10]) { if (step * magnitude >= value) { return step * magnitude; } }
    return 10 * magnitude;
  }

  // ---- charts -------------------------------------------------------------------------------------------------------

  // A time chart: one polyline per series over the kept points, optional horizontal reference lines.
  function timeChart(chart, points, lines, references, format, fixedMax) {
    const box = chart.viewBox.baseVal;
    const width = box.width, height = box.height;
    const left = 62, right = 12, top = 10, bottom = 22;
    const plotW = width - left - right, plotH = height - top - bottom;
    const children = [];
    let max = fixedMax || 0;
    if (!fixedMax) {
      for (const line of lines) { for (const p of points) { max = Math.max(max, line.value(p)); } }
      for (const ref of references) { if (ref.value != null) { max = Math.max(max, ref.value); } }
      max = niceMax(max * 1.05);
    }
    const t0 = points.length ? points[0].unixTimeMs : 0;
    const t1 = points.length ? points[points.length - 1].unixTimeMs : 1;
    const span = Math.max(1, t1 - t0);
    const x = (t) => left + ((t - t0) / span) * plotW;
    const y = (v) => top + plotH - (Math.min(v, max) / max) * plotH;
    for (let i = 0; i <= 4; i++) {
      const v = (max * i) / 4;
      children.push(svg('line', { class: 'grid', x1: left, x2: width - right, y1: y(v), y2: y(v) }));
      children.push(svg('text', { class: 'tick', x: left - 6, y: y(v) + 3, 'text-anchor': 'end' }, format(v)));
    }
    children.push(svg('text', { class: 'tick', x: left, y: height - 6 }, points.length ? clock(t0) : ''));
    children.push(svg('text', { class: 'tick', x: width - right, y: height - 6, 'text-anchor': 'end' }, points.length ? clock(t1) : ''));
    references.forEach((ref, index) => {
      if (ref.value == null) { return; }
      const line = svg('line', { class: ref.className, x1: left, x2: width - right, y1: y(ref.value), y2: y(ref.value), 'data-series': ref.className });
      line.append(svg('title', {}, ref.label + ': ' + format(ref.value)));
      children.push(line);
      // Alternate the labels' sides so two close lines stay readable.
      const labelX = index % 2 === 0 ? left + 4 : width - right - 4;
      children.push(svg('text', { class: 'tick', x: labelX, y: y(ref.value) - 3, 'text-anchor': index % 2 === 0 ? 'start' : 'end' }, ref.label));
    });
    for (const line of lines) {
      const coords = points.map((p) => x(p.unixTimeMs).toFixed(1) + ',' + y(line.value(p)).toFixed(1));
      if (coords.length === 1) { coords.push((left + plotW).toFixed(1) + ',' + coords[0].split(',')[1]); }
      const polyline = svg('polyline', { class: 'series ' + line.className, 'data-series': line.className, points: coords.join(' ') });
      polyline.append(svg('title', {}, line.label));
      children.push(polyline);
    }
    children.push(svg('line', { class: 'axis', x1: left, x2: width - right, y1: top + plotH, y2: top + plotH }));
    if (!points.length) { children.push(svg('text', { class: 'empty', x: left + 10, y: top + plotH / 2 }, 'waiting for the first sample…')); }
    chart.setAttribute('data-points', String(points.length));
    replace(chart, children);
  }

  function sparkline(values) {
    const chart = svg('svg', { class: 'spark', viewBox: '0 0 120 24', 'data-chart': 'p95-trend', 'data-points': values.length });
    const max = niceMax(Math.max(...values, 0.001));
    const coords = values.map((v, i) => ((values.length === 1 ? 120 : (i / (values.length - 1)) * 120)).toFixed(1) + ',' + (22 - (v / max) * 20).toFixed(1));
    if (coords.length === 1) { coords.unshift('0,' + coords[0].split(',')[1]); }
    chart.append(svg('polyline', { points: coords.join(' ') }));
    return chart;
  }

  function hitRateBars(chart, caches) {
    const width = 900, label = 280, rowH = 24, valueW = 150;
    const plotW = width - label - valueW;
    const height = Math.max(1, caches.length) * rowH + 8;
    chart.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    chart.setAttribute('data-points', String(caches.length));
    const children = [];
    if (!caches.length) { children.push(svg('text', { class: 'empty', x: 10, y: 20 }, 'no cache registered yet')); }
    caches.forEach((c, i) => {
      const y = 4 + i * rowH;
      children.push(svg('text', { class: 'label', x: label - 8, y: y + 15, 'text-anchor': 'end' }, shorten(c.name, 40)));
      children.push(svg('rect', { class: 'track', x: label, y: y + 3, width: plotW, height: rowH - 8, rx: 3 }));
      const bar = svg('rect', { class: 'bar', x: label, y: y + 3, width: (c.hitRate * plotW).toFixed(1), height: rowH - 8, rx: 3, fill: c.hitRate >= 0.5 ? '#59a14f' : c.hitRate >= 0.2 ? '#edc948' : '#e15759', 'data-rate': c.hitRate.toFixed(4) });
      bar.append(svg('title', {}, c.name + ': ' + num(c.hits) + ' hits, ' + num(c.misses) + ' misses'));
      children.push(bar);
      children.push(svg('text', { class: 'label', x: label + plotW + 8, y: y + 15 }, pct(c.hitRate) + ' (' + num(c.hits) + '/' + num(c.hits + c.misses) + ')'));
    });
    replace(chart, children);
  }

  function gantt(chart, startup) {
    const steps = startup.steps.filter((s) => s.startMs != null);
    const width = 900, label = 260, rowH = 22, right = 80, axis = 20;
    const plotW = width - label - right;
    const height = Math.max(1, steps.length) * rowH + axis + 6;
    chart.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    chart.setAttribute('data-points', String(steps.length));
    const children = [];
    if (!steps.length) {
      children.push(svg('text', { class: 'empty', x: 10, y: 20 }, 'no startup task or component has run'));
      replace(chart, children);
      return;
    }
    const t0 = Math.min(...steps.map((s) => s.startMs));
    const end = Math.max(...steps.map((s) => s.startMs + s.durationMs));
    const max = niceMax(Math.max(1, end - t0));
    const x = (t) => label + ((t - t0) / max) * plotW;
    for (let i = 0; i <= 4; i++) {
      const t = t0 + (max * i) / 4;
      children.push(svg('line', { class: 'grid', x1: x(t), x2: x(t), y1: 2, y2: height - axis }));
      children.push(svg('text', { class: 'tick', x: x(t), y: height - 6, 'text-anchor': 'middle' }, ms(t - t0)));
    }
    steps.forEach((s, i) => {
      const y = 4 + i * rowH;
      children.push(svg('text', { class: 'label', x: label - 8, y: y + 14, 'text-anchor': 'end' }, shorten(s.name, 36)));
      const bar = svg('rect', { class: 'bar', x: x(s.startMs).toFixed(1), y: y + 3, width: Math.max(2, x(s.startMs + s.durationMs) - x(s.startMs)).toFixed(1), height: rowH - 7, rx: 3, fill: s.status === 'Failed' ? '#e15759' : s.kind === 'task' ? '#f28e2b' : '#4e79a7' });
      bar.append(svg('title', {}, s.name + ' (' + s.kind + ', ' + s.status + '): starts at ' + ms(s.startMs - t0) + ', takes ' + ms(s.durationMs) + (s.error ? ' — ' + s.error : '')));
      children.push(bar);
      children.push(svg('text', { class: 'tick', x: x(s.startMs + s.durationMs) + 5, y: y + 14 }, ms(s.durationMs)));
    });
    replace(chart, children);
  }

  // ---- sections -----------------------------------------------------------------------------------------------------

  function renderCards(s) {
    const total = s.endpoints.items.reduce((sum, e) => sum + e.calls, 0);
    const errors = s.endpoints.items.reduce((sum, e) => sum + e.errors, 0);
    setValue('sequence', num(s.sequence));
    setValue('uptime', duration(s.uptimeSeconds));
    setValue('calls-per-second', s.endpoints.callsPerSecond.toFixed(1));
    setValue('total-requests', num(s.endpoints.totalRequests));
    setValue('error-rate', total ? pct(errors / total) : '–');
    setValue('heap', mb(s.memory.heapBytes));
    setValue('working-set', mb(s.memory.workingSetBytes));
    setValue('cpu', s.process.cpuPercent.toFixed(1) + ' %');
    setValue('gc', s.memory.gc.gen0 + ' / ' + s.memory.gc.gen1 + ' / ' + s.memory.gc.gen2);
    setValue('alert-count', num(s.alerts.length));
  }

  function renderMemory(s) {
    const m = s.memory;
    timeChart(document.querySelector('svg[data-chart="memory"]'), state.series,
      [{ className: 'heap', label: 'managed heap', value: (p) => p.heapBytes }],
      [{ className: 'baseline', label: 'baseline', value: m.baselineBytes },
       { className: 'leak-threshold', label: 'leak threshold (baseline × ' + m.leakThresholdFactor + ')', value: m.leakThresholdBytes }],
      mb);
    const facts = [
      ['heap now', mb(m.heapBytes)], ['peak', mb(m.peakBytes)], ['baseline', mb(m.baselineBytes)],
      ['leak threshold', mb(m.leakThresholdBytes)], ['growth vs baseline', m.growthFactor == null ? '–' : m.growthFactor.toFixed(2) + '×'],
      ['allocated since start', mb(m.totalAllocatedBytes)], ['fragmented', mb(m.fragmentedBytes)],
      ['working set', mb(m.workingSetBytes)],
      ['memory load (last GC)', m.memoryLoadBytes ? mb(m.memoryLoadBytes) + ' of ' + mb(m.highMemoryLoadThresholdBytes) : 'no GC yet'],
      ['GC pause time', m.gc.pauseTimePercent.toFixed(2) + ' % (' + ms(m.gc.totalPauseMs) + ')'],
      ['thread-pool threads', num(s.process.threadPoolThreads) + ' (' + num(s.process.threadPoolQueueLength) + ' queued)'],
    ];
    replace(document.getElementById('memory-facts'), facts.map(([k, v]) => { const d = el('div'); d.append(el('dt', k), el('dd', v)); return d; }));
    replace(document.getElementById('leaks'), m.leaks.length ? m.leaks.map((l) => el('li', l.evidence)) : [emptyItem('No leak suspected: usage has not stayed above the leak threshold.')]);
  }

  function renderActivity() {
    timeChart(document.querySelector('svg[data-chart="throughput"]'), state.series,
      [{ className: 'calls', label: 'monitored calls per second', value: (p) => p.callsPerSecond }], [], (v) => v.toFixed(v < 10 ? 1 : 0) + '/s');
    timeChart(document.querySelector('svg[data-chart="cpu"]'), state.series,
      [{ className: 'cpu', label: 'process CPU (all cores)', value: (p) => p.cpuPercent }], [], (v) => v.toFixed(0) + ' %', 100);
  }

  function renderEndpoints(s) {
    const e = s.endpoints;
    document.getElementById('percentile-note').textContent =
      'Over the last ' + num(e.windowSize) + ' monitored calls (all endpoints together). Percentiles are ' + e.percentileMethod +
      ': p95 is the fastest call that 95 % of the calls did not exceed. A mean above p95 means fewer than 5 % of the calls were much slower (see p99 and max).';
    const rows = e.items.map((item) => {
      let trend = state.trends.get(item.endpoint);
      if (!trend) { trend = []; state.trends.set(item.endpoint, trend); }
      trend.push(item.p95Ms);
      if (trend.length > SPARK_POINTS) { trend.splice(0, trend.length - SPARK_POINTS); }
      const avg = el('td', ms(item.avgMs));
      if (item.avgMs > item.p95Ms) { avg.className = 'flag'; avg.title = 'The mean is above p95: a few slow calls (max ' + ms(item.maxMs) + ') pull it up.'; }
      const tr = row([item.endpoint, num(item.calls), item.errors ? num(item.errors) + ' (' + pct(item.errorRate) + ')' : '0'], { 'data-endpoint': item.endpoint });
      tr.append(avg);
      for (const cell of [ms(item.p50Ms), ms(item.p95Ms), ms(item.p99Ms), ms(item.maxMs), pct(item.cacheHitRate)]) { tr.append(el('td', cell)); }
      tr.append(wrapCell(sparkline(trend)));
      return tr;
    });
    replace(document.getElementById('endpoint-rows'), rows.length ? rows : [emptyRow(10, 'No monitored call in the window yet.')]);
  }

  function renderCaches(s) {
    hitRateBars(document.querySelector('svg[data-chart="cache-hit-rate"]'), s.caches);
    replace(document.getElementById('cache-rows'), s.caches.length
      ? s.caches.map((c) => row([c.name, num(c.hits), num(c.misses), pct(c.hitRate), num(c.size) + ' / ' + num(c.maxSize), num(c.evictions), mb(c.memoryBytes)], { 'data-cache': c.name }))
      : [emptyRow(7, 'No cache registered yet.')]);
    replace(document.getElementById('pool-rows'), s.pools.length
      ? s.pools.map((p) => row([p.name, num(p.created), num(p.rented), num(p.returned), num(p.outstanding), pct(p.reuseRate), num(p.drained)], { 'data-pool': p.name }))
      : [emptyRow(7, 'No pool created yet.')]);
  }

  function renderAlerts(s) {
    replace(document.getElementById('alert-list'), s.alerts.length ? s.alerts.map((a) => {
      const li = el('li', null, { 'data-severity': a.severity, 'data-kind': a.kind });
      li.append(el('time', clock(a.at), { datetime: a.at }), el('span', a.kind, { class: 'kind' }), document.createTextNode(' · ' + a.source + ': ' + a.message));
      return li;
    }) : [emptyItem('No alert raised.')]);
    replace(document.getElementById('cleanup-list'), s.cleanups.length ? s.cleanups.map((c) => {
      const li = el('li');
      const after = c.cacheEntriesAfter == null ? 'measuring…'
        : 'cache entries ' + num(c.cacheEntriesBefore) + ' → ' + num(c.cacheEntriesAfter) + ', ' + num(c.pooledObjectsDrained) + ' idle pooled objects released';
      li.append(el('time', clock(c.at), { datetime: c.at }), document.createTextNode(c.level + ' memory pressure (' + c.reason + '): ' + after));
      return li;
    }) : [emptyItem('No clean-up ran.')]);
    replace(document.getElementById('bottleneck-list'), s.bottlenecks.length ? s.bottlenecks.map((b) => el('li', b.endpoint + ' — ' + b.kind + ': ' + b.evidence)) : [emptyItem('No bottleneck found.')]);
    replace(document.getElementById('suggestion-list'), s.suggestions.length ? s.suggestions.map((x) => el('li', x.scope + ': ' + x.suggestion + ' (' + x.evidence + ')')) : [emptyItem('Nothing to suggest.')]);
  }

  function renderSections(s) {
    const container = document.getElementById('sections');
    replace(container, s.sections.map((section) => {
      const node = el('section', null, { 'data-section': section.name });
      node.append(el('h2', section.title));
      if (section.error) { node.append(el('p', 'Could not read: ' + section.error, { class: 'note' })); }
      const facts = el('dl', null, { class: 'facts' });
      const data = section.data && typeof section.data === 'object' ? section.data : null;
      if (!data) { node.append(el('p', section.updatedAt ? 'Nothing to show yet.' : 'Reading…', { class: 'note' })); }
      for (const key of data ? Object.keys(data) : []) {
        const value = data[key];
        const text = value == null ? '–'
          : typeof value === 'number' ? (/bytes$/i.test(key) ? mb(value) : Number.isInteger(value) ? num(value) : value.toFixed(3))
          : typeof value === 'object' ? JSON.stringify(value) : String(value);
        const d = el('div', null, { 'data-key': key });
        d.append(el('dt', key), el('dd', text));
        facts.append(d);
      }
      node.append(facts);
      return node;
    }));
  }

  function render() {
    const s = state.snapshot;
    if (!s) { return; }
    renderCards(s);
    renderMemory(s);
    renderActivity();
    renderEndpoints(s);
    renderCaches(s);
    renderAlerts(s);
    gantt(document.querySelector('svg[data-chart="startup"]'), s.startup);
    renderSections(s);
  }

  // ---- the event stream ---------------------------------------------------------------------------------------------

  function receive(event, replaceSeries) {
    const snapshot = JSON.parse(event.data);
    if (replaceSeries) {
      state.series = snapshot.series.slice();
    } else {
      state.series.push(...snapshot.series);
      if (state.series.length > MAX_POINTS) { state.series.splice(0, state.series.length - MAX_POINTS); }
    }
    state.snapshot = snapshot;
    state.events += 1;
    setValue('events', num(state.events));
    render();
  }

  function setStatus(name, text) {
    const status = document.getElementById('status');
    status.dataset.state = name;
    status.textContent = text;
  }

  const source = new EventSource(base + '/events');
  source.addEventListener('open', () => setStatus('live', 'live'));
  source.addEventListener('error', () => setStatus('reconnecting', 'reconnecting…'));
  source.addEventListener('snapshot', (event) => receive(event, true));
  source.addEventListener('update', (event) => receive(event, false));
})();
