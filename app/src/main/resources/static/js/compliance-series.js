// Time-series chart of /compliance/outfalls/{id}/series: hourly values, excluded values (flags F/M/C/D/B/P) apart,
// the daily statistic and the limit in force each day (uPlot). A static file because the CSP forbids inline scripts.
(function () {
  'use strict';
  var el = document.getElementById('series-chart');
  if (!el || typeof uPlot === 'undefined') { return; }
  fetch(el.getAttribute('data-url'), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
    .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
    .then(draw)
    .catch(function (e) { el.textContent = String(e); });

  function draw(s) {
    if (!s.points.length && !s.days.some(function (d) { return d.value !== null; })) {
      el.textContent = el.getAttribute('data-empty') || '—';
      return;
    }
    // one x axis: every hourly time, and noon of each day for the daily statistic and the limits
    var rows = {};
    function row(t) { if (!rows[t]) { rows[t] = [null, null, null, null, null]; } return rows[t]; }
    s.points.forEach(function (p) {
      var r = row(Date.parse(p.t) / 1000);
      if (p.excluded) { r[1] = p.v; } else { r[0] = p.v; }
    });
    s.days.forEach(function (d) {
      var t = Date.parse(d.day + 'T12:00:00+08:00') / 1000;
      var r = row(t);
      r[2] = d.value;
      r[3] = d.limit !== null ? d.limit : d.high;
      r[4] = d.low;
    });
    var ts = Object.keys(rows).map(Number).sort(function (a, b) { return a - b; });
    var data = [ts, [], [], [], [], []];
    ts.forEach(function (t) { for (var i = 0; i < 5; i++) { data[i + 1].push(rows[t][i]); } });
    var unit = el.getAttribute('data-unit') || '';
    var width = Math.max(300, el.clientWidth || 800);
    new uPlot({
      width: width, height: 340,
      series: [{},
        { label: s.factor + ' ' + unit, stroke: '#1e63b5', width: 1, spanGaps: false, points: { show: true, size: 3 } },
        { label: 'excluded', stroke: '#c62828', width: 0, points: { show: true, size: 6, stroke: '#c62828' } },
        { label: 'daily', stroke: '#222', width: 2, spanGaps: true },
        { label: 'limit', stroke: '#c62828', width: 1.5, dash: [6, 4], spanGaps: true },
        { label: 'limit low', stroke: '#c62828', width: 1, dash: [2, 4], spanGaps: true }],
      axes: [{}, {}]
    }, data, el);
  }
})();
