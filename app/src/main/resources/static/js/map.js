// Outfall map: points from /outfalls/map/data (same filters as the ledger), coloured by type or state.
// Works without a basemap: with no tile URL configured, or when tiles fail to load, the points stay on a plain background.
(function () {
  var el = document.getElementById('map');
  if (!el || !window.L) { return; }
  var colors = {
    level1: { INDUSTRIAL: '#c2410c', URBAN_WWTP: '#1d4ed8', AGRICULTURAL: '#15803d', OTHER: '#7c3aed' },
    lifecycle: { SUSPECTED: '#f59e0b', VERIFIED: '#0ea5e9', MONITORED: '#6366f1', TRACED: '#8b5cf6',
      REMEDIATION_PLANNED: '#dc2626', REMEDIATED: '#16a34a', UNDER_SUPERVISION: '#0b6e4f', CANCELLED: '#9ca3af',
      NOT_AN_OUTFALL: '#d1d5db' }
  };
  var zh = document.documentElement.lang !== 'en';
  var labels = zh ? {
    INDUSTRIAL: '工业排污口', URBAN_WWTP: '城镇污水处理厂排污口', AGRICULTURAL: '农业排口', OTHER: '其他排口',
    SUSPECTED: '疑似', VERIFIED: '已核实', MONITORED: '已监测', TRACED: '已溯源', REMEDIATION_PLANNED: '整治中',
    REMEDIATED: '已整治', UNDER_SUPERVISION: '纳入监管', CANCELLED: '已注销', NOT_AN_OUTFALL: '非排污口'
  } : {};
  var map = L.map(el).setView([35, 105], 4);
  var layer = L.layerGroup().addTo(map);
  var points = [];
  var colorBy = document.getElementById('color-by');

  function draw() {
    layer.clearLayers();
    var key = colorBy.value, palette = colors[key];
    // SVG markers are easy to inspect and test; past a few thousand points a canvas draws much faster.
    var renderer = points.length > 2000 ? L.canvas() : undefined;
    points.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], { renderer: renderer, radius: 6, weight: 1, color: '#333', fillOpacity: 0.85, fillColor: palette[p[key]] || '#666' })
        .bindPopup('<a href="/outfalls/' + p.id + '"></a>')
        .on('popupopen', function (e) { e.popup.getElement().querySelector('a').textContent = p.name; })
        .addTo(layer);
    });
    var legend = document.getElementById('legend');
    legend.textContent = '';
    Object.keys(palette).forEach(function (k) {
      var s = document.createElement('span'), i = document.createElement('i');
      i.style.background = palette[k]; s.appendChild(i); s.appendChild(document.createTextNode(labels[k] || k)); legend.appendChild(s);
    });
  }

  fetch(el.getAttribute('data-source'), { headers: { 'Accept': 'application/json' } })
    .then(function (r) { return r.json(); })
    .then(function (cfg) {
      var notice = document.getElementById('no-basemap');
      if (cfg.tileUrl) {
        var tiles = L.tileLayer(cfg.tileUrl, { attribution: cfg.attribution || '', subdomains: '01234567', maxZoom: 18 });
        var failures = 0;
        tiles.on('tileerror', function () { if (++failures >= 3) { notice.hidden = false; } });
        tiles.addTo(map);
      } else {
        notice.hidden = false;
      }
      points = cfg.points;
      document.getElementById('map-count').textContent = points.length;
      el.setAttribute('data-count', String(points.length));
      draw();
      if (points.length) {
        map.fitBounds(L.latLngBounds(points.map(function (p) { return [p.lat, p.lon]; })), { padding: [20, 20], maxZoom: 14 });
      }
    });
  colorBy.addEventListener('change', draw);
})();
