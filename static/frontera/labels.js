/* Frontera: basemap labels (countries, states/departments, towns) that appear as you zoom in.
 *
 * L.fronteraLabels(items, options) takes items already in priority order (largest
 * town first): [lat, lon, text, minZoom, maxZoom, kind]. On every view change it
 * places the labels that belong to the zoom level, in that order, and skips a
 * label that would overlap one already placed, so big places win over small ones.
 */
(function () {
  if (!window.L) { return; }

  var CHAR_PX = { town: 6.4, admin1: 8.0, country: 11.5 };

  L.FronteraLabels = L.Layer.extend({
    options: { pane: "fronteraLabels", maxLabels: 350, padding: 2 },

    initialize: function (items, options) {
      L.setOptions(this, options);
      this._items = items || [];
    },

    onAdd: function (map) {
      var pane = map.getPane(this.options.pane);
      if (!pane) {
        pane = map.createPane(this.options.pane);
        pane.style.zIndex = 450;           /* above the data's vector layers, below markers and popups */
        pane.style.pointerEvents = "none";
      }
      this._container = L.DomUtil.create("div", "frontera-bm-labels", pane);
      /* After the rest of the map's script has run, so the places layer (if shown) exists. */
      L.Util.requestAnimFrame(this._update, this);
    },

    onRemove: function () {
      L.DomUtil.remove(this._container);
      this._container = null;
    },

    getEvents: function () {
      return { zoomstart: this._hide, moveend: this._update, viewreset: this._update };
    },

    _hide: function () {
      if (this._container) { this._container.style.display = "none"; }
    },

    _box: function (item, p) {
      var w = item[2].length * (CHAR_PX[item[5]] || 6.4) + 6, h = item[5] === "country" ? 18 : 14;
      var pad = this.options.padding;
      if (item[5] === "town") {           /* dot at the point, text to its right */
        return [p.x - 3 - pad, p.y - h / 2 - pad, p.x + 5 + w + pad, p.y + h / 2 + pad];
      }
      return [p.x - w / 2 - pad, p.y - h / 2 - pad, p.x + w / 2 + pad, p.y + h / 2 + pad];
    },

    _update: function () {
      var map = this._map;
      if (!map || !this._container) { return; }
      var zoom = map.getZoom();
      var size = map.getSize();
      var origin = map.containerPointToLayerPoint([0, 0]);
      var placed = [], html = [], count = 0;
      /* A town that is also a place of the situation is labelled by the places layer when it is on. */
      var placesShown = !!map.getContainer().querySelector(".frontera-place");
      for (var i = 0; i < this._items.length && count < this.options.maxLabels; i++) {
        var item = this._items[i];
        if (zoom < item[3] || zoom > item[4]) { continue; }
        if (placesShown && item[6] && item[6].indexOf("frontera-bm-label-at-place") >= 0) { continue; }
        var p = map.latLngToLayerPoint([item[0], item[1]]);
        var cx = p.x - origin.x, cy = p.y - origin.y;
        if (cx < -50 || cy < -20 || cx > size.x + 50 || cy > size.y + 20) { continue; }
        var box = this._box(item, p), clash = false;
        for (var j = 0; j < placed.length; j++) {
          var b = placed[j];
          if (box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]) { clash = true; break; }
        }
        if (clash) { continue; }
        placed.push(box);
        var kind = item[5];
        var cls = "frontera-bm-label frontera-bm-label-" + kind + (item[6] ? " " + item[6] : "");
        html.push('<div class="' + cls + '" style="position:absolute;left:' + Math.round(p.x) + 'px;top:' +
                  Math.round(p.y) + 'px"><span>' + escapeHtml(item[2]) +
                  "</span></div>");
        count++;
      }
      this._container.innerHTML = html.join("");
      /* The view the labels were placed for: tests read it, as the map object is not reachable from outside. */
      var center = map.getCenter();
      this._container.setAttribute("data-zoom", zoom);
      this._container.setAttribute("data-center", center.lat.toFixed(5) + "," + center.lng.toFixed(5));
      this._container.style.display = "";
    }
  });

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  L.fronteraLabels = function (items, options) { return new L.FronteraLabels(items, options); };
})();
