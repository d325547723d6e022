// Trend chart of /monitoring/outfalls/{id}: fetches the server-downsampled series and draws avg with a min–max band
// (uPlot). A static file because the CSP forbids inline scripts.
(function () {
  'use strict';
  var el = document.getElementById('chart');
  if (!el || typeof uPlot === 'undefined') { return; }
  var outfall = el.getAttribute('data-outfall');
  var plot = null;

  function val(id) { var e = document.getElementById(id); return e ? e.value : null; }

  function load() {
    var days = parseInt(val('chart-days') || '1', 10);
    var to = new Date();
    var from = new Date(to.getTime() - days * 86400000);
    var width = Math.max(300, el.clientWidth || 800);
    var url = '/api/v1/outfalls/' + encodeURIComponent(outfall) + '/measurements?factor=' + encodeURIComponent(val('chart-factor'))
      + '&kind=' + encodeURIComponent(val('chart-kind')) + '&from=' + from.toISOString() + '&to=' + to.toISOString()
      + '&points=' + Math.min(2000, Math.floor(width / 2));
    fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) { draw(s, width); })
      .catch(function (e) { el.textContent = String(e); });
  }

  function draw(s, width) {
    if (plot) { plot.destroy(); plot = null; }
    el.textContent = '';
    if (!s.points.length) { el.textContent = el.getAttribute('data-empty') || '—'; return; }
    var t = [], avg = [], min = [], max = [];
    s.points.forEach(function (p) {
      t.push(Date.parse(p.t) / 1000); avg.push(p.avg); min.push(p.min); max.push(p.max);
    });
    plot = new uPlot({
      width: width, height: 320,
      series: [{}, { label: s.factor + ' avg', stroke: '#1b6ec2', width: 1.5 },
        { label: 'min', stroke: '#9bbbe0', width: 1 }, { label: 'max', stroke: '#9bbbe0', width: 1 }],
      bands: [{ series: [3, 2], fill: 'rgba(27,110,194,0.12)' }],
      axes: [{}, {}]
    }, [t, avg, min, max], el);
  }

  ['chart-factor', 'chart-kind', 'chart-days'].forEach(function (id) {
    var e = document.getElementById(id);
    if (e) { e.addEventListener('change', load); }
  });
  load();
})();
