// The supervisor's map, loaded only when the map screen opens (after Leaflet).
// gridworkMap(elementId, featureCollectionJson, tileUrlOrEmpty)
window.gridworkMap = function (id, fcJson, tiles) {
  var fc = JSON.parse(fcJson);
  var el = document.getElementById(id);
  if (!el) return;
  if (el._gridworkMap) { el._gridworkMap.remove(); }
  var map = L.map(el, { preferCanvas: true, zoomControl: true });
  el._gridworkMap = map;
  if (tiles) { L.tileLayer(tiles, { maxZoom: 19 }).addTo(map); }
  var colors = { red: '#c62828', yellow: '#f9a825', green: '#2e7d32' };
  var layer = L.geoJSON(fc, {
    style: function (f) {
      return { color: '#37474f', weight: 1, fillColor: colors[f.properties.color] || '#9e9e9e', fillOpacity: 0.6 };
    },
    onEachFeature: function (f, l) {
      var p = f.properties;
      // A tap selects the cell: the page reads data-selected (an admin assigns workers).
      l.on('click', function () {
        if (el._gridworkSelected) { el._gridworkSelected.setStyle({ weight: 1, color: '#37474f' }); }
        l.setStyle({ weight: 4, color: '#1565c0' });
        el._gridworkSelected = l;
        el.setAttribute('data-selected', p.code);
        el.dispatchEvent(new CustomEvent('gridwork-cell', { detail: p.code }));
      });
      l.bindTooltip(p.name + ' (' + p.code + ')<br>事件 ' + p.open_incidents + '，超期 ' + p.overdue_incidents +
        '<br>走访超期 ' + p.overdue_visits + '<br>隐患 ' + p.units.hazard + '，整改超期 ' + p.units.overdue);
    }
  }).addTo(map);
  var b = layer.getBounds();
  if (b.isValid()) { map.fitBounds(b); } else { map.setView([29.97, 106.27], 12); }
  el.setAttribute('data-cells', String(fc.features.length));
};
