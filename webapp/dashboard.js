// The live dashboard: polls ./metrics every second and draws small line charts on canvases; names
// the node that answered and says when the numbers are stale.
(function () {
  'use strict';
  const HISTORY = 120; // points kept per chart (two minutes)
  const series = { streams: [], rate: [], p50: [], p90: [], p99: [], queued: [], heap: [] };
  let previous = null;
  let timer = null;
  let lastGood = 0;       // when the last poll succeeded (ms since the epoch)
  const nodesSeen = new Set();

  function push(name, value) {
    const list = series[name];
    list.push(value);
    if (list.length > HISTORY) list.shift();
  }

  function fmt(n, digits) {
    if (!isFinite(n)) return '–';
    return n.toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 0 : digits });
  }

  function ms(seconds) {
    return seconds === Infinity ? '>10 s' : fmt(seconds * 1000, 1) + ' ms';
  }

  async function poll() {
    try {
      const response = await fetch('metrics', { cache: 'no-store' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const samples = Metrics.parse(await response.text());
      const now = {
        node: showNode(samples),
        time: performance.now(),
        streams: Metrics.sum(samples, 'sse_streams_open'),
        delivered: Metrics.sum(samples, 'sse_frames_delivered_total'),
        queued: Metrics.sum(samples, 'sse_queued_bytes'),
        heap: Metrics.sum(samples, 'jvm_memory_used_bytes', l => l.area === 'heap'),
        buckets: Metrics.buckets(samples, 'sse_publish_to_write_seconds')
      };
      // Rates and interval percentiles compare two polls of the same node: behind a balancer the
      // counters of two nodes would be subtracted from each other.
      const before = previous && previous.node === now.node ? previous : null;
      const seconds = before ? (now.time - before.time) / 1000 : 1;
      const rate = before ? Math.max(0, (now.delivered - before.delivered) / seconds) : 0;
      const p = q => Metrics.quantile(now.buckets, before && before.buckets, q);
      push('streams', now.streams);
      push('rate', rate);
      push('p50', p(0.5) * 1000);
      push('p90', p(0.9) * 1000);
      push('p99', p(0.99) * 1000);
      push('queued', now.queued);
      push('heap', now.heap / (1024 * 1024));
      document.getElementById('m-streams').textContent = fmt(now.streams);
      document.getElementById('m-rate').textContent = fmt(rate);
      document.getElementById('m-latency').textContent = isFinite(p(0.5)) ? ms(p(0.5)) + ' / ' + ms(p(0.99)) : 'no writes';
      document.getElementById('m-queued').textContent = fmt(now.queued);
      document.getElementById('m-heap').textContent = fmt(now.heap / (1024 * 1024), 1) + ' MB';
      document.getElementById('metrics-error').textContent = '';
      lastGood = Date.now();
      previous = now;
      draw('c-streams', [series.streams], ['#0b57d0']);
      draw('c-rate', [series.rate], ['#0a6b2d']);
      draw('c-latency', [series.p50, series.p90, series.p99], ['#0a6b2d', '#8a4b00', '#a40e26']);
      draw('c-queued', [series.queued], ['#6b2fb3']);
      draw('c-heap', [series.heap], ['#1b1f2a']);
    } catch (e) {
      document.getElementById('metrics-error').textContent = 'metrics unavailable: ' + e.message;
    }
    showStaleness();
  }

  /**
   * Names the node these numbers come from (sse_build_info) and returns it. Behind a balancer each
   * poll may reach another node: then the numbers are per node and the page says so.
   */
  function showNode(samples) {
    const info = samples.find(s => s.name === 'sse_build_info');
    const node = info ? info.labels.node : 'unknown';
    const el = document.getElementById('m-node');
    el.dataset.node = node;
    nodesSeen.add(node);
    el.textContent = node + (info ? ' (version ' + info.labels.version + ')' : '')
      + (nodesSeen.size > 1 ? ' — polls reach ' + nodesSeen.size + ' nodes through a balancer: each number is one node\'s' : '');
    return node;
  }

  /** Marks the numbers stale when the last good poll is more than 3 s old. */
  function showStaleness() {
    const el = document.getElementById('m-stale');
    const age = lastGood ? (Date.now() - lastGood) / 1000 : Infinity;
    const stale = age > 3;
    el.dataset.stale = String(stale);
    el.textContent = stale ? (lastGood ? 'stale: last data ' + fmt(age, 0) + ' s ago, at '
      + new Date(lastGood).toLocaleTimeString('en-GB', { hour12: false }) : 'no data yet') : '';
  }

  /** Draws lines scaled to the largest finite value, with the maximum labelled. */
  function draw(id, lines, colors) {
    const canvas = document.getElementById(id);
    const ctx = canvas.getContext('2d');
    const w = canvas.width;
    const h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    let max = 0;
    for (const line of lines) for (const v of line) if (isFinite(v)) max = Math.max(max, v);
    max = max > 0 ? max * 1.1 : 1;
    ctx.strokeStyle = '#d0d0d6';
    ctx.beginPath();
    ctx.moveTo(0, h - 0.5);
    ctx.lineTo(w, h - 0.5);
    ctx.stroke();
    ctx.fillStyle = '#333';
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText(fmt(max / 1.1, 1), 4, 14);
    lines.forEach((line, i) => {
      ctx.strokeStyle = colors[i];
      ctx.lineWidth = 2;
      ctx.beginPath();
      let started = false;
      line.forEach((v, x) => {
        if (!isFinite(v)) return;
        const px = (x / (Math.max(line.length, 30) - 1)) * w;
        const py = h - (v / max) * (h - 20) - 1;
        if (started) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        started = true;
      });
      ctx.stroke();
    });
  }

  window.Dashboard = {
    start: function () { if (!timer) { poll(); timer = setInterval(poll, 1000); } },
    stop: function () { clearInterval(timer); timer = null; }
  };
})();
