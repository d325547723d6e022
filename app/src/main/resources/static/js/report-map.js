// The citizen's report form (/report): a map pin or "use my location" fills the hidden lat/lon fields; only the
// attribute fields of the chosen category are shown; open reports of the same category nearby are fetched and shown
// (duplicate suggestions). A static file because the CSP forbids inline scripts. Without script the form still works.
(function () {
  'use strict';
  var form = document.getElementById('report-form');
  if (!form) { return; }
  var lat = document.getElementById('lat'), lon = document.getElementById('lon');
  var nearby = document.getElementById('nearby');

  function chosenService() {
    var c = form.querySelector('input[name="service"]:checked');
    return c ? c.value : null;
  }

  function showAttributes() {
    var s = chosenService();
    Array.prototype.forEach.call(form.querySelectorAll('.attributes'), function (el) {
      el.hidden = el.getAttribute('data-service') !== s;
    });
  }

  function loadNearby() {
    var s = chosenService();
    var outfall = nearby.getAttribute('data-outfall');
    if (!s || (!outfall && !(lat && lat.value))) { nearby.innerHTML = ''; return; }
    var url = '/report/nearby?service=' + encodeURIComponent(s)
      + (outfall ? '&outfall=' + encodeURIComponent(outfall) : '&lat=' + lat.value + '&lon=' + lon.value);
    fetch(url, { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.text() : ''; })
      .then(function (html) { nearby.innerHTML = html; });
  }

  Array.prototype.forEach.call(form.querySelectorAll('input[name="service"]'), function (r) {
    r.addEventListener('change', function () { showAttributes(); loadNearby(); });
  });
  showAttributes();

  var el = document.getElementById('pin-map');
  if (!el || !window.L) { loadNearby(); return; }
  var map = L.map(el).setView([31.3, 120.6], 9);
  var tiles = el.getAttribute('data-tile-url');
  if (tiles) { L.tileLayer(tiles, { attribution: el.getAttribute('data-attribution') || '' }).addTo(map); }
  var marker = null;
  function place(la, lo) {
    lat.value = la.toFixed(6); lon.value = lo.toFixed(6);
    if (marker) { marker.setLatLng([la, lo]); } else { marker = L.marker([la, lo]).addTo(map); }
    document.getElementById('pin-text').textContent = lo.toFixed(5) + ', ' + la.toFixed(5);
    loadNearby();
  }
  if (lat.value && lon.value) { place(parseFloat(lat.value), parseFloat(lon.value)); map.setView([lat.value, lon.value], 14); }
  map.on('click', function (e) { place(e.latlng.lat, e.latlng.lng); });
  var locate = document.getElementById('locate');
  if (locate && navigator.geolocation) {
    locate.addEventListener('click', function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        place(p.coords.latitude, p.coords.longitude); map.setView([p.coords.latitude, p.coords.longitude], 15);
      });
    });
  } else if (locate) { locate.hidden = true; }
})();
