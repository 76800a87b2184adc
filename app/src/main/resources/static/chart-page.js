// Plots one device's readings with Chart.js, one line per metric. After drawing, the canvas
// carries data-plotted-points (points Chart.js laid out) and data-state, which the headless
// browser test reads.
(function () {
  'use strict';
  const MAX_POINTS = 50000;
  const PAGE_SIZE = 10000;
  const form = document.getElementById('query');
  const status = document.getElementById('status');
  const canvas = document.getElementById('chart');
  let chart = null;

  function setState(state, message) {
    canvas.dataset.state = state;
    status.textContent = message;
  }

  async function fetchReadings(params) {
    const readings = [];
    let cursor = '';
    do {
      const query = new URLSearchParams({ from: params.from, to: params.to, limit: String(PAGE_SIZE) });
      if (params.metric) query.set('metric', params.metric);
      if (cursor) query.set('cursor', cursor);
      const url = 'api/v1/devices/' + encodeURIComponent(params.device) + '/readings?' + query;
      const response = await fetch(url, { headers: { 'X-API-Key': params.key } });
      if (!response.ok) throw new Error('HTTP ' + response.status + ' from the API');
      const page = await response.json();
      readings.push(...page.readings);
      cursor = page.nextCursor;
    } while (cursor && readings.length < MAX_POINTS);
    return readings;
  }

  function datasetsByMetric(readings) {
    const byMetric = new Map();
    for (const r of readings) {
      if (!byMetric.has(r.metric)) byMetric.set(r.metric, []);
      byMetric.get(r.metric).push({ x: Date.parse(r.timestamp), y: r.value });
    }
    return [...byMetric].map(([metric, data]) => ({ label: metric, data, pointRadius: 1, borderWidth: 1 }));
  }

  function draw(datasets) {
    if (chart) chart.destroy();
    chart = new Chart(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        parsing: false,
        maintainAspectRatio: false,
        scales: {
          x: { type: 'linear', ticks: { callback: (v) => new Date(v).toISOString().replace('.000Z', 'Z') } },
          y: { type: 'linear' }
        }
      }
    });
    // Count what Chart.js actually laid out, not what was fetched.
    return chart.data.datasets.reduce((n, _, i) => n + chart.getDatasetMeta(i).data.length, 0);
  }

  async function plot(params) {
    setState('loading', 'Loading...');
    try {
      const readings = await fetchReadings(params);
      const points = draw(datasetsByMetric(readings));
      canvas.dataset.plottedPoints = String(points);
      setState('rendered', points + ' points plotted for ' + params.device);
    } catch (e) {
      setState('error', 'Could not plot: ' + e.message);
    }
  }

  function paramsFromFragment() {
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    return Object.fromEntries(['key', 'device', 'metric', 'from', 'to'].map((k) => [k, fragment.get(k) || '']));
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    plot(Object.fromEntries(new FormData(form)));
  });

  const initial = paramsFromFragment();
  for (const [name, value] of Object.entries(initial)) form.elements[name].value = value;
  if (initial.key && initial.device && initial.from && initial.to) plot(initial);
})();
