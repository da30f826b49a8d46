// Parses Prometheus text exposition and derives the numbers the dashboard shows.
// No dependencies; exposed as window.Metrics so that tests can call it too.
(function () {
  'use strict';

  /** Parses exposition text into [{name, labels, value}]. */
  function parse(text) {
    const samples = [];
    for (const line of text.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/);
      if (!m) continue;
      const labels = {};
      if (m[3]) {
        for (const pair of m[3].match(/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"/g) || []) {
          const eq = pair.indexOf('=');
          labels[pair.slice(0, eq)] = pair.slice(eq + 2, -1);
        }
      }
      samples.push({ name: m[1], labels: labels, value: parseFloat(m[4]) });
    }
    return samples;
  }

  function sum(samples, name, filter) {
    let total = 0;
    let found = false;
    for (const s of samples) {
      if (s.name === name && (!filter || filter(s.labels))) { total += s.value; found = true; }
    }
    return found ? total : NaN;
  }

  /** Cumulative buckets {le -> count} of a histogram. */
  function buckets(samples, name) {
    const out = [];
    for (const s of samples) {
      if (s.name === name + '_bucket') out.push({ le: s.labels.le === '+Inf' ? Infinity : parseFloat(s.labels.le), count: s.value });
    }
    return out.sort((a, b) => a.le - b.le);
  }

  /** Quantile q of the observations between two cumulative bucket snapshots (upper bound of its bucket). */
  function quantile(now, before, q) {
    const delta = now.map((b, i) => ({ le: b.le, count: b.count - (before && before[i] ? before[i].count : 0) }));
    const total = delta.length ? delta[delta.length - 1].count : 0;
    if (total <= 0) return NaN;
    const rank = q * total;
    for (const b of delta) {
      if (b.count >= rank) return b.le;
    }
    return Infinity;
  }

  window.Metrics = { parse: parse, sum: sum, buckets: buckets, quantile: quantile };
})();
