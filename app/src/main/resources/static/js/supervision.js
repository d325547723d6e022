// Field supervision pages (templates/supervision): the day's map and "use my location". A static file because the
// Content-Security-Policy allows scripts from 'self' only.
(function () {
  // The day's stops on a map without a basemap (points only), each linking to its task;
  // red = inspection, green = survey point to verify.
  const el = document.getElementById('day-map');
  if (el) {
    const stops = Array.from(document.querySelectorAll('#task-list li[data-lat]'))
      .filter(li => li.dataset.lat && li.dataset.lon);
    if (!window.L || stops.length === 0) {
      el.style.display = 'none';
    } else {
      const map = L.map(el, {attributionControl: !!el.dataset.tileUrl});
      if (el.dataset.tileUrl) {
        // gongzhi.map.tile-url, as on the ledger's map; without it (or when tiles fail) the points stay on a plain background
        L.tileLayer(el.dataset.tileUrl, {attribution: el.dataset.attribution || '', subdomains: '01234567', maxZoom: 18}).addTo(map);
      }
      const bounds = [];
      stops.forEach(li => {
        const a = li.querySelector('a.stop');
        const ll = [parseFloat(li.dataset.lat), parseFloat(li.dataset.lon)];
        const link = document.createElement('a');
        link.href = a.href;
        link.textContent = li.querySelector('.title').textContent;
        L.circleMarker(ll, {radius: 9, color: li.dataset.kind === 'INSPECTION' ? '#b42318' : '#0b6e4f'}).addTo(map).bindPopup(link);
        bounds.push(ll);
      });
      map.fitBounds(bounds, {maxZoom: 15, padding: [20, 20]});
      el.dataset.shown = String(stops.length);
    }
  }
  // Fills a longitude and a latitude field from the phone's position (needs HTTPS or localhost).
  document.querySelectorAll('[data-locate]').forEach(function (b) {
    b.addEventListener('click', function () {
      const ids = b.dataset.locate.split(',');
      if (!navigator.geolocation) { return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById(ids[0]).value = pos.coords.longitude.toFixed(6);
        document.getElementById(ids[1]).value = pos.coords.latitude.toFixed(6);
      });
    });
  });
})();
