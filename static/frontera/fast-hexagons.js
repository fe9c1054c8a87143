/* Frontera's fast renderer, server hexagons: L.fronteraHexagons(header, base64, options) draws H3 cells
 * summed by the server (selections too large to send whole), shaded and labelled by count; a click
 * shows a cell's count and fatalities (textContent only). The canvas carries the class
 * "frontera-hexagons" and data-drawn = the cells drawn.
 */
(function () {
  "use strict";
  var L = window.L;
  if (!L || !L.FronteraFast || !L.FronteraFast.CanvasLayer || !L.FronteraFast.raster || L.fronteraHexagons) { return; }
  var F = L.FronteraFast, U = F.util, CanvasLayer = F.CanvasLayer;
  var text = U.text, mercX = U.mercX, mercY = U.mercY, hexToRgba = U.hexToRgba, thousands = U.thousands;
  var short = U.short, el = U.el, addRows = U.addRows, RAMP = F.raster.RAMP, shadeIndex = F.raster.shadeIndex;
  /* The page's texts in the session's language (static/frontera/mapuse.js, from frontera.layers.panes). */
  function say(t, n) { return L.fronteraSay ? L.fronteraSay(t, n) : (n === undefined ? t : t.split("{n}").join(String(n))); }

  /* H3 cells summed by the server (selections too large to send whole). */
  var Hexagons = CanvasLayer.extend({
    cssClass: "frontera-hexagons",
    payloadKind: "cells",

    _prepare: function (cols) {
      var n = this._header.n, scale = this._header.scale, verts = cols.verts, i, k;
      this._cols = cols;
      this._n = n;
      var vx = this._vx = new Float64Array(n * 6), vy = this._vy = new Float64Array(n * 6);
      for (k = 0; k < n * 6; k++) {
        vx[k] = mercX(verts[2 * k] / scale);
        vy[k] = mercY(verts[2 * k + 1] / scale);
      }
      var max = 1;
      for (i = 0; i < n; i++) { if (cols.count[i] > max) { max = cols.count[i]; } }
      this._maxCount = max;
      this._sx = new Float32Array(n * 6);
      this._sy = new Float32Array(n * 6);
      this._mode = "hexagons";
    },

    _draw: function (ctx, v) {
      var n = this._n, vx = this._vx, vy = this._vy, sx = this._sx, sy = this._sy, count = this._cols.count;
      var drawn = 0, i, k, minX, minY, maxX, maxY, labels = [];
      ctx.lineWidth = 1;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      for (i = 0; i < n; i++) {
        minX = minY = Infinity; maxX = maxY = -Infinity;
        for (k = i * 6; k < i * 6 + 6; k++) {
          sx[k] = vx[k] * v.scale - v.ox;
          sy[k] = vy[k] * v.scale - v.oy;
          if (sx[k] < minX) { minX = sx[k]; } if (sx[k] > maxX) { maxX = sx[k]; }
          if (sy[k] < minY) { minY = sy[k]; } if (sy[k] > maxY) { maxY = sy[k]; }
        }
        if (maxX < 0 || maxY < 0 || minX > v.w || minY > v.h) { continue; }
        ctx.beginPath();
        ctx.moveTo(sx[i * 6], sy[i * 6]);
        for (k = i * 6 + 1; k < i * 6 + 6; k++) { ctx.lineTo(sx[k], sy[k]); }
        ctx.closePath();
        ctx.fillStyle = hexToRgba(RAMP[shadeIndex(count[i], this._maxCount)], 0.75);
        ctx.fill();
        ctx.stroke();
        if (maxX - minX >= 30) { labels.push([(minX + maxX) / 2, (minY + maxY) / 2, count[i]]); }
        drawn++;
      }
      ctx.fillStyle = "#1f2937";
      ctx.font = "11px sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      labels.forEach(function (l) { ctx.fillText(short(l[2]), l[0], l[1]); });
      return drawn;
    },

    _hits: function (p) {
      var sx = this._sx, sy = this._sy;
      for (var i = 0; i < this._n; i++) {
        var inside = false;
        for (var a = i * 6, b = i * 6 + 5; a < i * 6 + 6; b = a++) {
          if ((sy[a] > p.y) !== (sy[b] > p.y) && p.x < (sx[b] - sx[a]) * (p.y - sy[a]) / (sy[b] - sy[a]) + sx[a]) {
            inside = !inside;
          }
        }
        if (inside) { return [i]; }
      }
      return [];
    },

    _openPopup: function (hits, k, latlng) {
      var cols = this._cols, i = hits[0], box = el("div", "fr-popup"), table = el("table");
      var count = cols.count[i];
      box.appendChild(el("h4", "", say(count === 1 ? "{n} event in this cell" : "{n} events in this cell", thousands(count))));
      var rows = [[say("Fatalities"), thousands(cols.fatalities[i]) +
                   (cols.unknown[i] ? say(" (not reported for {n} events)", thousands(cols.unknown[i])) : "")],
                  [say("Area"), say("H3 cell {cell} (resolution {n})", this._header.res).split("{cell}").join(text(cols.cell, i))]];
      addRows(table, rows);
      box.appendChild(table);
      if (this.options.note) { box.appendChild(el("p", "fr-meta", this.options.note)); }
      L.popup({ maxWidth: 360, className: "fr-leaflet-popup" }).setLatLng(latlng).setContent(box).openOn(this._map);
    }
  });

  L.FronteraHexagons = Hexagons;
  L.fronteraHexagons = function (header, b64, options) { return new Hexagons(header, b64, options); };
})();
