// The map on an outfall's public page (/o/{code}): one pin on the configured basemap. A static file because the CSP
// forbids inline scripts; the page includes it only when gongzhi.map.tile-url is set.
(function () {
  'use strict';
  var el = document.getElementById('outfall-map');
  if (!el || !window.L) { return; }
  var lat = parseFloat(el.getAttribute('data-lat')), lon = parseFloat(el.getAttribute('data-lon'));
  var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lon], 15);
  L.tileLayer(el.getAttribute('data-tile-url'), { attribution: el.getAttribute('data-attribution') || '' }).addTo(map);
  L.marker([lat, lon]).addTo(map);
})();
