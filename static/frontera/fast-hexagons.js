/* Frontera's fast renderer, server hexagons: L.fronteraHexagons(header, base64, options) draws H3 cells
 * summed by the server (selections too large to send whole), shaded and labelled by count; a click
 * shows a cell's count and fatalities (textContent only). The canvas carries the class
 * "frontera-hexagons" and data-drawn = the cells drawn. With options.days (sums per cell and day) the cells
 * follow the map's clock (setDayFilter): counts, shades and popups of the clock's window.
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

  /* The Monday of a day's week (days since 1970-01-01, a Thursday): the server's rows by week. */
  function day(n) { var iso = U.isoDay(n); return L.fronteraDay ? L.fronteraDay(iso) : iso; }
  function monday(day) { return day - (((day + 3) % 7) + 7) % 7; }

  /* H3 cells summed by the server (selections too large to send whole). */
  var Hexagons = CanvasLayer.extend({
    cssClass: "frontera-hexagons",
    payloadKind: "cells",

    /* options.days: the sums per cell and day (payload "celldays", frontera/layers/fast/celldays.py), so
       that the cells follow the map's clock; clockStep: 1, or 7 when the server summed by week. */
    initialize: function (header, b64, options) {
      CanvasLayer.prototype.initialize.call(this, header, b64, options);
      var days = this.options.days, self = this, problem;
      this.clockStep = 0;  // 0: does not follow the clock
      if (!days || this._refused) { return; }
      problem = U.schemaProblem(days.header, "celldays");
      if (problem) {
        console.error("Frontera: " + (this.options.name || "a layer") + " cannot follow the clock: " + problem);
        return;
      }
      this.clockStep = days.header.step === 7 ? 7 : 1;
      this.loaded = Promise.all([this.loaded, U.decode(days.header, days.data)]).then(function (got) {
        self._days = got[1];
        self.options.days = null;
        self._applyRange();
        if (self._map && self._range) { self._reset(); }  // the clock is on: draw its window
      });
    },

    /* The clock's hook (static/frontera/clock.js): keep.range = [lo, hi], the days it shows; null: all. */
    setDayFilter: function (keep) {
      this._range = keep && keep.range ? keep.range.slice() : null;
      this._applyRange();
      this._reset();
    },

    /* Each cell's events, fatalities and unknown fatalities in the clock's window (this._win), from the rows:
       those that started by hi, less those that ended before lo (whole weeks when clockStep is 7). */
    _applyRange: function () {
      this._win = null;
      if (!this._range || !this._days || !this._ready) { return; }
      var d = this._days, n = this._n, lo = this._range[0], hi = this._range[1], k, c, sign, max = 0;
      if (this.clockStep === 7) { lo = monday(lo); hi = monday(hi); }
      var count = new Float64Array(n), fat = new Float64Array(n), unknown = new Float64Array(n);
      for (k = 0; k < d.cell.length; k++) {
        sign = (d.kind[k] !== 2 && d.day[k] <= hi ? 1 : 0) - (d.kind[k] !== 1 && d.day[k] < lo ? 1 : 0);
        if (!sign) { continue; }
        c = d.cell[k];
        count[c] += sign * d.count[k];
        fat[c] += sign * d.fatalities[k];
        unknown[c] += sign * d.unknown[k];
      }
      for (c = 0; c < n; c++) { if (count[c] > max) { max = count[c]; } }
      this._win = { count: count, fatalities: fat, unknown: unknown, max: Math.max(max, 1), lo: lo, hi: this.clockStep === 7 ? hi + 6 : hi };
    },

    /* Counts, fatalities and unknown fatalities per cell as drawn now (the clock's window, or all). */
    _sums: function () {
      var w = this._win, cols = this._cols;
      return w ? w : { count: cols.count, fatalities: cols.fatalities, unknown: cols.unknown, max: this._maxCount };
    },

    /* The cells drawn now: [{cell: H3 index, count, fatalities, unknown}] (for tests). */
    drawnCells: function () {
      var s = this._sums(), cols = this._cols, out = [];
      for (var i = 0; i < this._n; i++) {
        if (this._drawnFlags && this._drawnFlags[i]) {
          out.push({ cell: text(cols.cell, i), count: s.count[i], fatalities: s.fatalities[i], unknown: s.unknown[i] });
        }
      }
      return out;
    },

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
      var n = this._n, vx = this._vx, vy = this._vy, sx = this._sx, sy = this._sy, sums = this._sums();
      var count = sums.count, drawn = 0, i, k, minX, minY, maxX, maxY, labels = [];
      var flags = this._drawnFlags = new Uint8Array(n);
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
        if (maxX < 0 || maxY < 0 || minX > v.w || minY > v.h || !(count[i] > 0)) { continue; }
        flags[i] = 1;
        ctx.beginPath();
        ctx.moveTo(sx[i * 6], sy[i * 6]);
        for (k = i * 6 + 1; k < i * 6 + 6; k++) { ctx.lineTo(sx[k], sy[k]); }
        ctx.closePath();
        ctx.fillStyle = hexToRgba(RAMP[shadeIndex(count[i], sums.max)], 0.75);
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
      var sx = this._sx, sy = this._sy, flags = this._drawnFlags;
      for (var i = 0; i < this._n; i++) {
        if (!flags || !flags[i]) { continue; }
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
      var cols = this._cols, i = hits[0], box = el("div", "fr-popup"), table = el("table"), s = this._sums();
      var count = s.count[i];
      box.appendChild(el("h4", "", say(count === 1 ? "{n} event in this cell" : "{n} events in this cell", thousands(count))));
      var rows = [[say("Fatalities"), thousands(s.fatalities[i]) +
                   (s.unknown[i] ? say(" (not reported for {n} events)", thousands(s.unknown[i])) : "")],
                  [say("Area"), say("H3 cell {cell} (resolution {n})", this._header.res).split("{cell}").join(text(cols.cell, i))]];
      if (this._win) {  // the clock's window (whole weeks when the server summed by week)
        rows.push([say("Dates"), say("showing {range}").split("{range}").join(day(this._win.lo) + " – " + day(this._win.hi))]);
      }
      addRows(table, rows);
      box.appendChild(table);
      if (this.options.note) { box.appendChild(el("p", "fr-meta", this.options.note)); }
      L.popup({ maxWidth: 360, className: "fr-leaflet-popup" }).setLatLng(latlng).setContent(box).openOn(this._map);
    }
  });

  L.FronteraHexagons = Hexagons;
  L.fronteraHexagons = function (header, b64, options) { return new Hexagons(header, b64, options); };
})();
