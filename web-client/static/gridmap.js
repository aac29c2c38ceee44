// The maps, loaded only when a map opens (after Leaflet): the supervisor's grid map and the
// report screen's place picker.

// A tooltip as an element of text lines. Cell names come from users: they are set as text,
// never parsed as HTML (Leaflet treats a string tooltip as HTML).
function gridworkTip(lines) {
  var box = document.createElement('div');
  lines.forEach(function (line) {
    var row = document.createElement('div');
    row.textContent = line;
    box.appendChild(row);
  });
  return box;
}

// The words of the maps' own controls in the interface language, set by the client each
// time a map opens: {zoom_in, zoom_out}.
window.gridworkWords = function (wordsJson) {
  window._gridworkWords = JSON.parse(wordsJson);
};

// The zoom buttons, titled in the interface language (Leaflet's own are English).
function gridworkZoom(map) {
  var w = window._gridworkWords || {};
  L.control.zoom({ zoomInTitle: w.zoom_in || '+', zoomOutTitle: w.zoom_out || '-' }).addTo(map);
}

// gridworkMap(elementId, featureCollectionJson, tileUrlOrEmpty, labelsJson)
// labels: the tooltip's words in the interface language
// {incidents, overdue, visits_overdue, hazards, hazards_overdue}.
window.gridworkMap = function (id, fcJson, tiles, labelsJson) {
  var fc = JSON.parse(fcJson);
  var w = JSON.parse(labelsJson);
  var el = document.getElementById(id);
  if (!el) return;
  if (el._gridworkMap) { el._gridworkMap.remove(); }
  var map = L.map(el, { preferCanvas: true, zoomControl: false });
  gridworkZoom(map);
  el._gridworkMap = map;
  if (tiles) { L.tileLayer(tiles, { maxZoom: 19 }).addTo(map); }
  var colors = { red: '#c62828', yellow: '#f9a825', green: '#2e7d32' };
  var layer = L.geoJSON(fc, {
    style: function (f) {
      return { color: '#37474f', weight: 1, fillColor: colors[f.properties.color] || '#9e9e9e', fillOpacity: 0.6 };
    },
    onEachFeature: function (f, l) {
      var p = f.properties;
      // A tap selects the cell: the page reads data-selected and data-selected-name (and
      // opens the cell's page, or lets an admin assign its workers).
      l.on('click', function () {
        if (el._gridworkSelected) { el._gridworkSelected.setStyle({ weight: 1, color: '#37474f' }); }
        l.setStyle({ weight: 4, color: '#1565c0' });
        el._gridworkSelected = l;
        el.setAttribute('data-selected', p.code);
        el.setAttribute('data-selected-name', p.name);
        el.dispatchEvent(new CustomEvent('gridwork-cell', { detail: p.code }));
      });
      l.bindTooltip(function () {
        return gridworkTip([
          p.name + ' (' + p.code + ')',
          w.incidents + ' ' + p.open_incidents + ' · ' + w.overdue + ' ' + p.overdue_incidents,
          w.visits_overdue + ' ' + p.overdue_visits,
          w.hazards + ' ' + p.units.hazard + ' · ' + w.hazards_overdue + ' ' + p.units.overdue
        ]);
      });
    }
  }).addTo(map);
  var b = layer.getBounds();
  if (b.isValid()) { map.fitBounds(b); } else { map.setView([29.97, 106.27], 12); }
  el.setAttribute('data-cells', String(fc.features.length));
};

// The place picker: the caller's cells (from the phone's copy, so it works offline) and a
// marker where the worker taps. The tapped place is written to data-lon / data-lat and
// announced with a `gridwork-pick` event.
// gridworkPick(elementId, featureCollectionJson, tileUrlOrEmpty, lon, lat)  (NaN: no place yet)
window.gridworkPick = function (id, fcJson, tiles, lon, lat) {
  var fc = JSON.parse(fcJson);
  var el = document.getElementById(id);
  if (!el) return;
  if (el._gridworkMap) { el._gridworkMap.remove(); }
  var map = L.map(el, { zoomControl: false });
  gridworkZoom(map);
  el._gridworkMap = map;
  if (tiles) { L.tileLayer(tiles, { maxZoom: 19 }).addTo(map); }
  var layer = L.geoJSON(fc, {
    style: function () { return { color: '#0b5cad', weight: 2, fillColor: '#0b5cad', fillOpacity: 0.08 }; },
    onEachFeature: function (f, l) {
      var p = f.properties;
      l.bindTooltip(function () { return gridworkTip([p.name + ' (' + p.code + ')']); });
    }
  }).addTo(map);
  var marker = null;
  function put(ll) {
    if (marker) { marker.setLatLng(ll); }
    else { marker = L.circleMarker(ll, { radius: 10, color: '#c62828', weight: 3, fillOpacity: 0.5 }).addTo(map); }
  }
  if (isFinite(lon) && isFinite(lat)) {
    map.setView([lat, lon], 16);
    put(L.latLng(lat, lon));
  } else {
    var b = layer.getBounds();
    if (b.isValid()) { map.fitBounds(b); } else { map.setView([29.97, 106.27], 12); }
  }
  // Taps on a cell bubble up to the map.
  map.on('click', function (e) {
    put(e.latlng);
    el.setAttribute('data-lon', e.latlng.lng.toFixed(6));
    el.setAttribute('data-lat', e.latlng.lat.toFixed(6));
    el.dispatchEvent(new CustomEvent('gridwork-pick'));
  });
  el.setAttribute('data-cells', String(fc.features.length));
};
