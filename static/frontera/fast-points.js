/* Frontera's fast renderer, the event layer: L.fronteraFastPoints(header, base64, options).
 *
 * Only events in view are drawn: circles (sprites in one pixel buffer, fast-raster.js) or, where events
 * crowd the screen, density. Density is decided here, from what is on screen: the events in view are
 * binned into screen hexagons; when most of them sit in crowded cells the layer shows the cells (counts,
 * shade by count) or a heat surface instead of circles, and says so in its note on the map. Zooming in or
 * narrowing the dates brings single events back. options.density: "auto" (default), "points", "hexagons"
 * or "heat"; the note's buttons switch it.
 *
 * Clicks and hover go through a grid index on screen coordinates (points) or the hexagon under the
 * cursor (density); popups are built on click, every data value escaped (event popups) or set as
 * textContent (cell popups).
 *
 * The canvas carries the class "frontera-fastpoints" and, after each draw, data-drawn = the number of
 * events drawn in view (for density: the events the drawn cells stand for; data-cells = the cells) and
 * data-mode = points, hexagons or heat: tests and the benchmark wait for it.
 */
(function () {
  "use strict";
  var L = window.L;
  if (!L || !L.FronteraFast || !L.FronteraFast.CanvasLayer || !L.FronteraFast.raster || L.fronteraFastPoints) { return; }
  var F = L.FronteraFast, U = F.util, R = F.raster, CanvasLayer = F.CanvasLayer;
  var esc = U.esc, safeUrl = U.safeUrl, text = U.text, code = U.code, mercX = U.mercX, mercY = U.mercY;
  var isoDay = U.isoDay, rgb = U.rgb, hexToRgba = U.hexToRgba, thousands = U.thousands, short = U.short, el = U.el;
  var addRows = U.addRows, TAU = U.TAU;
  var makeSprite = R.makeSprite, blit = R.blit, blitTiles = R.blitTiles, Tiles = R.Tiles, shiftPixels = R.shiftPixels, unpremultiply = R.unpremultiply, dashedRing = R.dashedRing;
  var disc = R.disc, RAMP = R.RAMP, HEAT = R.HEAT, HexGrid = R.HexGrid, hexPath = R.hexPath;
  var shadeIndex = R.shadeIndex, shadeBreaks = R.shadeBreaks, drawHeat = R.drawHeat;
  var MODES = ["auto", "points", "hexagons", "heat"];
  /* Texts in the page's language (static/frontera/mapuse.js keeps them, passed from Python); {n}: a number. */
  function say(t, n) { return L.fronteraSay ? L.fronteraSay(t, n) : (n === undefined ? t : t.split("{n}").join(String(n))); }

  var FastPoints = CanvasLayer.extend({
    cssClass: "frontera-fastpoints",
    payloadKind: "events",
    options: {
      density: "auto",
      /* auto: density when at least densityMinEvents are in view and more than crowdedShare of them sit in
         hexagons holding more than crowdedCell events; from pointsZoom on, always points (events that share
         one exact place never separate: the popup pages through them). */
      densityMinEvents: 300,
      crowdedCell: 25,
      crowdedShare: 0.5,
      pointsZoom: 14,
      hexRadius: 22
    },

    _prepare: function (cols) {
      var h = this._header, n = h.n, scale = h.scale, o = this.options, i;
      this._cols = cols;
      this._n = n;
      var mx = this._mx = new Float64Array(n), my = this._my = new Float64Array(n);
      var radius = this._radius = new Float32Array(n), ringKm = this._ringKm = new Float32Array(n);
      var lat = this._lat = new Float32Array(n);
      var px = cols.px, py = cols.py, place = cols.place, fat = cols.fatalities, unc = cols.uncertainty;
      var geo = cols.geo_precision, defaults = o.defaultUncertaintyKm || {};
      var geoDefault = geo.table.map(function (g) { return defaults[g] || 0; });
      var maxR = 0, p;
      for (i = 0; i < n; i++) {
        p = place ? place[i] : 0;
        lat[i] = py[p] / scale;
        mx[i] = mercX(px[p] / scale);
        my[i] = mercY(lat[i]);
        var f = fat[i];
        radius[i] = f > 0 ? Math.min(80, Math.round((5 + 2.2 * Math.sqrt(f)) * 2) / 2) : 5;
        if (radius[i] > maxR) { maxR = radius[i]; }
        ringKm[i] = unc[i] === h.noUncertainty ? geoDefault[code(geo, i)] : unc[i] / 10;
      }
      this._maxR = maxR;
      this._prepareOrder(cols);
      this._sx = new Float32Array(n);
      this._sy = new Float32Array(n);
      this._next = new Int32Array(n);
      this._visible = new Int32Array(n);
      this._sprites = {};
      this._ringSeen = new Int32Array(cols.px.length);
      this._lastPoints = null;
    },

    /* Draw order: by colour and fill, larger circles first, so small ones stay visible on top. */
    _prepareOrder: function (cols) {
      var n = this._n, o = this.options, fat = cols.fatalities, radius = this._radius, kinds = cols.kind, i;
      var colours = o.colours || {}, fallback = o.fallbackColour || "#525252";
      var kindColour = kinds.table.map(function (k) { return colours[k] || fallback; });
      var palette = [], paletteIndex = {};
      kindColour.forEach(function (c) { if (!(c in paletteIndex)) { paletteIndex[c] = palette.length; palette.push(c); } });
      var group = new Uint16Array(n), key = new Float64Array(n);
      for (i = 0; i < n; i++) {
        group[i] = paletteIndex[kindColour[code(kinds, i)]] * 2 + (fat[i] < 0 ? 1 : 0);
        key[i] = (group[i] * 512 + (511 - radius[i] * 2)) * 4194304 + i;  // exact in a double: sorts without a callback
      }
      key.sort();
      var order = new Uint32Array(n);
      for (i = 0; i < n; i++) { order[i] = key[i] % 4194304; }
      this._order = order;
      this._group = group;
      this._palette = palette;
    },

    _sprite: function (g, r, ratio) {
      var k = g + ":" + r + ":" + ratio, s = this._sprites[k];
      if (!s) {
        var colour = this._palette[g >> 1], hollow = g & 1;
        s = this._sprites[k] = makeSprite(r, hollow ? "rgba(255,255,255,0.9)" : hexToRgba(colour, 0.7), colour, 1.5, ratio);
      }
      return s;
    },

    /* The mode for this view: the chosen one, or (auto) density when events crowd the screen. */
    _chooseMode: function (v, nVisible, grid) {
      var o = this.options, chosen = this._chosen || o.density || "auto";
      if (chosen !== "auto") { return chosen; }
      if (nVisible < o.densityMinEvents || v.zoom >= o.pointsZoom) { return "points"; }
      var crowded = 0, count = grid.count;
      for (var k = 0; k < count.length; k++) { if (count[k] > o.crowdedCell) { crowded += count[k]; } }
      return crowded > o.crowdedShare * nVisible ? "hexagons" : "points";
    },

    _draw: function (ctx, v) {
      var n = this._n, mx = this._mx, my = this._my, order = this._order, sx = this._sx, sy = this._sy;
      var visible = this._visible, fat = this._cols.fatalities, R = this.options.hexRadius;
      var grid = this._grid = new HexGrid(v, R), cellOf = this._cellOf || (this._cellOf = new Int32Array(n));
      var nVisible = 0, margin = Math.max(this._maxR + 2, 2 * R), k, i, x, y, c;
      var bin = (this._chosen || this.options.density) !== "points";  // cells decide auto and draw density
      var keep = this._keepDay, day0 = this._cols.start, span = this._cols.span;  // the clock (setDayFilter)
      for (k = 0; k < n; k++) {
        i = order[k];
        if (keep && !keep(day0[i], span[i])) { continue; }
        x = mx[i] * v.scale - v.ox;
        y = my[i] * v.scale - v.oy;
        sx[i] = x; sy[i] = y;
        if (x < -margin || y < -margin || x > v.w + margin || y > v.h + margin) { continue; }
        visible[nVisible++] = i;
        cellOf[i] = -1;
        if (!bin) { continue; }
        c = grid.cellOf(x + v.ox, y + v.oy);
        if (c < 0) { continue; }
        cellOf[i] = c;
        grid.count[c]++;
        if (fat[i] < 0) { grid.unknown[c]++; } else { grid.fatal[c] += fat[i]; }
      }
      var inView = 0;
      for (k = 0; k < nVisible; k++) {
        i = visible[k];
        if (sx[i] >= 0 && sy[i] >= 0 && sx[i] < v.w && sy[i] < v.h) { inView++; }
      }
      this._nVisible = nVisible;
      this._inView = inView;
      this._mode = this._chooseMode(v, inView, grid);
      if (this._mode !== "points") { this._lastPoints = null; }
      var drawn;
      if (this._mode === "points") {
        drawn = this._drawPoints(ctx, v, nVisible);
      } else {
        this._linkCells(nVisible);
        drawn = this._mode === "heat" ? this._drawHeat(ctx, v, nVisible) : this._drawHexagons(ctx, v);
      }
      this._updateNote();
      return drawn;
    },

    /* Chain each cell's events (for the cell popup), in draw order. */
    _linkCells: function (nVisible) {
      var grid = this._grid, cellOf = this._cellOf, next = this._next, visible = this._visible;
      for (var k = nVisible - 1; k >= 0; k--) {
        var i = visible[k], c = cellOf[i];
        if (c < 0) { continue; }
        next[i] = grid.head[c];
        grid.head[c] = i;
      }
    },

    /* Every event in view as a circle sprite in one pixel buffer; a grid index on screen for clicks.
       After a pan at the same zoom (a whole number of device pixels), the previous frame's pixels are moved
       and only the tiles the pan exposed or where rings came or went are drawn (_panShift): the same pixels as
       drawing it all. The premultiplied buffer is then right only in those tiles: only they become ImageData. */
    _drawPoints: function (ctx, v, nVisible) {
      var radius = this._radius, group = this._group, sx = this._sx, sy = this._sy, next = this._next;
      var visible = this._visible, mx = this._mx, my = this._my;
      var cell = this._cell = Math.max(24, Math.ceil(this._maxR * 2));
      var gw = this._gw = Math.ceil(v.w / cell) + 1, gh = this._gh = Math.ceil(v.h / cell) + 1;
      var head = this._head = new Int32Array(gw * gh).fill(-1);
      var W = v.pw, H = v.ph, ratio = v.ratio;
      if (!this._image || this._image.width !== W || this._image.height !== H) {
        this._image = ctx.createImageData(W, H);
        this._out = new Uint32Array(this._image.data.buffer);
        this._pixels = new Uint32Array(W * H);  // premultiplied
        this._pixTag = new Int32Array(W * H);
        this._pixRun = new Uint8Array(W * H);
        this._lastPoints = null;
      }
      var buf = this._pixels, tag = this._pixTag, run = this._pixRun;
      var rings = v.zoom >= (this.options.ringMinZoom || 9) ? this._ringList(v, nVisible) : null;
      var tiles = this._panShift(v, rings);  // null: draw everything
      var drawn = 0, spriteKey = -1, sprite = null, k, i, x, y, r, p, key, cx, cy;
      if (!tiles) { buf.fill(0); }
      this.lastDraw = tiles ? "strips" : "whole";  // for tests and the benchmark
      tag.fill(-1);
      /* Front to back (the reverse of the draw order), each circle under the ones already there. */
      for (k = nVisible - 1; k >= 0; k--) {
        i = visible[k]; x = sx[i]; y = sy[i]; r = radius[i];
        /* A sprite reaches past its radius (the outline's outer half, antialiasing): cull by r + 2. */
        if (x < -r - 2 || y < -r - 2 || x > v.w + r + 2 || y > v.h + r + 2) { continue; }
        key = group[i] * 512 + r * 2;
        if (key !== spriteKey) { sprite = this._sprite(group[i], r, ratio); spriteKey = key; }
        /* Pixel centre from the double (not the Float32 copy): a pan by whole pixels moves it by exactly that. */
        cx = Math.floor((mx[i] * v.scale - v.ox) * ratio); cy = Math.floor((my[i] * v.scale - v.oy) * ratio);
        /* Circles of one look on one pixel: after four copies (99 % opaque) another changes nothing. */
        p = cx >= 0 && cy >= 0 && cx < W && cy < H ? cy * W + cx : -1;
        var copy = p < 0;
        if (!copy) {
          if (tag[p] !== key) { tag[p] = key; run[p] = 0; }
          if (run[p] < 4) { run[p]++; copy = true; }
        }
        if (copy) { if (tiles) { blitTiles(buf, W, H, sprite, cx, cy, tiles); } else { blit(buf, W, H, sprite, cx, cy); } }
        if (x >= 0 && y >= 0 && x < v.w && y < v.h) {
          var c = Math.floor(y / cell) * gw + Math.floor(x / cell);
          next[i] = head[c];
          head[c] = i;
        }
        if (x >= -r && y >= -r && x <= v.w + r && y <= v.h + r) { drawn++; }
      }
      this._ringsHidden = rings && rings.hidden ? rings.list.length : 0;
      if (rings && !rings.hidden) { this._drawRings(v, rings, tiles); }
      this._finishPoints(ctx, tiles);
      return drawn;
    },

    /* Premultiplied pixels to the ImageData (only the dirty tiles after a pan), on the canvas. */
    _finishPoints: function (ctx, tiles) {
      var buf = this._pixels, out = this._out;
      if (!tiles) { unpremultiply(buf, out); } else { tiles.runs(function (a, b) { unpremultiply(buf, out, a, b); }); }
      ctx.putImageData(this._image, 0, 0);
    },

    /* After a pan: the tiles to draw again (what the pan exposed, and where rings came or went), the old
       pixels moved; null when everything must be drawn (first draw, other zoom, size, mode or filter, rings
       hidden or tinted differently, a move that is not a whole number of device pixels, or most tiles dirty). */
    _panShift: function (v, rings) {
      var last = this._lastPoints;
      this._lastPoints = { zoom: v.zoom, ox: v.ox, oy: v.oy, pw: v.pw, ph: v.ph, ratio: v.ratio, rings: rings };
      if (!last || last.zoom !== v.zoom || last.pw !== v.pw || last.ph !== v.ph || last.ratio !== v.ratio) { return null; }
      var dx = (v.ox - last.ox) * v.ratio, dy = (v.oy - last.oy) * v.ratio;
      if (dx !== Math.round(dx) || dy !== Math.round(dy) || (dx === 0 && dy === 0)) { return null; }
      if (Math.abs(dx) >= v.pw / 2 || Math.abs(dy) >= v.ph / 2) { return null; }
      if (!rings !== !last.rings || (rings && (rings.hidden !== last.rings.hidden || rings.tint !== last.rings.tint))) { return null; }
      var tiles = new Tiles(v.pw, v.ph);
      shiftPixels(this._out, v.pw, v.ph, dx, dy).forEach(function (rc) { tiles.rect(rc[0], rc[1], rc[2], rc[3]); });
      if (rings && !rings.hidden) { this._ringsChanged(v, last.rings, rings, tiles); }
      if (tiles.count > 0.5 * tiles.mark.length) { return null; }
      /* What is on screen moves; the premultiplied buffer is only read in the dirty tiles: cleared there. */
      var buf = this._pixels;
      tiles.runs(function (a, b) { buf.fill(0, a, b); });
      return tiles;
    },

    /* Mark the tiles of the rings in one frame's list and not the other's (events at the edge come and go). */
    _ringsChanged: function (v, before, now, tiles) {
      var mx = this._mx, my = this._my, ratio = v.ratio, inBefore = {}, inNow = {}, k, i;
      for (k = 0; k < before.list.length; k++) { inBefore[before.list[k]] = before.radii[k]; }
      for (k = 0; k < now.list.length; k++) { inNow[now.list[k]] = now.radii[k]; }
      function mark(i, r) {
        tiles.ring((mx[i] * v.scale - v.ox) * ratio, (my[i] * v.scale - v.oy) * ratio, r, now.tint);
      }
      for (k = 0; k < before.list.length; k++) {
        i = before.list[k];
        if (inNow[i] !== before.radii[k]) { mark(i, before.radii[k]); }
      }
      for (k = 0; k < now.list.length; k++) {
        i = now.list[k];
        if (inBefore[i] !== now.radii[k]) { mark(i, now.radii[k]); }
      }
    },

    /* Dashed rings of uncertainty to draw: one per place and size (events at one place share it), at most
       4,000, in draw order: {list: [event], hidden: too many to say anything, tint: discs inside too}. */
    _ringList: function (v, nVisible) {
      var ringKm = this._ringKm, lat = this._lat, visible = this._visible, place = this._cols.place;
      var seen = this._ringSeen, list = [], radii = [], area = 0, perimeter = 0, p, q, k, i;
      var W = v.pw, H = v.ph, ratio = v.ratio;
      seen.fill(0);
      for (k = 0; k < nVisible && list.length < 4000; k++) {
        i = visible[k];
        if (!(ringKm[i] > 0)) { continue; }
        p = place ? place[i] : 0;
        q = Math.round(ringKm[i] * 10) + 1;
        if (seen[p] === q) { continue; }  // one ring per place and size (events there mostly share it)
        seen[p] = q;
        var metresPerPx = 40075016.686 * Math.cos(lat[i] * Math.PI / 180) / v.scale;
        var r = ringKm[i] * 1000 / metresPerPx * ratio;
        list.push(i);
        radii.push(r);
        area += Math.PI * r * r;
        perimeter += TAU * r;
      }
      /* Past a few screens' worth of outlines, rings are a grey mesh that says nothing and costs much. */
      return { list: list, radii: radii, hidden: perimeter > 500 * (W + H), tint: area <= 3 * W * H };
    },

    /* The rings, written into the pixels under the circles (only in the dirty tiles, when given); tinted
       inside while their area stays under three screens (the tint costs a pixel write per pixel covered). */
    _drawRings: function (v, rings, tiles) {
      var mx = this._mx, my = this._my, group = this._group, colours = this._palette.map(rgb);
      var W = v.pw, H = v.ph, ratio = v.ratio, buf = this._pixels, g = [], k;
      for (k = 0; k < rings.list.length; k++) {
        var i = rings.list[k];
        g.push([(mx[i] * v.scale - v.ox) * ratio, (my[i] * v.scale - v.oy) * ratio, rings.radii[k], colours[group[i] >> 1]]);
      }
      for (k = 0; rings.tint && k < g.length; k++) { disc(buf, W, H, g[k][0], g[k][1], g[k][2], g[k][3], 13, tiles); }
      for (k = 0; k < g.length; k++) { dashedRing(buf, W, H, g[k][0], g[k][1], g[k][2], g[k][3], 115, tiles); }
      return g.length;
    },

    /* Non-empty screen hexagons, shaded by count (log scale up to the fullest in view), with counts. */
    _drawHexagons: function (ctx, v) {
      var grid = this._grid, count = grid.count, R = grid.R, max = 0, k, drawn = 0, cells = [];
      for (k = 0; k < count.length; k++) {
        if (!count[k]) { continue; }
        var c = grid.centre(k);
        if (c.x < -R || c.y < -R || c.x > v.w + R || c.y > v.h + R) { continue; }
        cells.push([k, c.x, c.y]);
        if (count[k] > max) { max = count[k]; }
      }
      this._max = max;
      var byShade = RAMP.map(function () { return []; });
      cells.forEach(function (cl) { byShade[shadeIndex(count[cl[0]], max)].push(cl); });
      ctx.lineWidth = 1;
      ctx.strokeStyle = "rgba(255,255,255,0.95)";
      byShade.forEach(function (list, s) {
        if (!list.length) { return; }
        ctx.beginPath();
        list.forEach(function (cl) { hexPath(ctx, cl[1], cl[2], R - 0.5); });
        ctx.fillStyle = hexToRgba(RAMP[s], 0.8);
        ctx.fill();
        ctx.stroke();
      });
      ctx.font = "600 11px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      cells.forEach(function (cl) {
        var s = shadeIndex(count[cl[0]], max);
        ctx.fillStyle = s >= 3 ? "#ffffff" : "#1f2937";
        ctx.fillText(short(count[cl[0]]), cl[1], cl[2]);
        drawn += count[cl[0]];
      });
      this._cellsDrawn = cells;
      this._canvas.setAttribute("data-cells", String(cells.length));
      return drawn;
    },

    _drawHeat: function (ctx, v, nVisible) {
      this._max = drawHeat(ctx, v, this._sx, this._sy, this._visible, nVisible);
      this._cellsDrawn = null;
      return this._inView;
    },

    /* Events whose circle contains the point, nearest first (at most `limit`); in a density mode the
       hexagon under the point, as [-1 - cell]. */
    _hits: function (p, limit, tol) {
      if (this._mode !== "points") {
        var c = this._grid.cellOf(p.x + this._view.ox, p.y + this._view.oy);
        return c >= 0 && this._grid.count[c] > 0 ? [-1 - c] : [];
      }
      var cell = this._cell, gw = this._gw, gh = this._gh, head = this._head, next = this._next;
      var sx = this._sx, sy = this._sy, radius = this._radius, out = [];
      var slack = tol === undefined ? 3 : tol, reach = Math.ceil((this._maxR + slack) / cell);
      var cx = Math.floor(p.x / cell), cy = Math.floor(p.y / cell);
      for (var gy = Math.max(0, cy - reach); gy <= Math.min(gh - 1, cy + reach); gy++) {
        for (var gx = Math.max(0, cx - reach); gx <= Math.min(gw - 1, cx + reach); gx++) {
          for (var i = head[gy * gw + gx]; i >= 0; i = next[i]) {
            var dx = sx[i] - p.x, dy = sy[i] - p.y, d = Math.sqrt(dx * dx + dy * dy);
            if (d <= radius[i] + slack) { out.push([d, i]); }
          }
        }
      }
      out.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      return out.slice(0, limit).map(function (h) { return h[1]; });
    },

    _showPopup: function (at, content) {
      if (!this._popup) { this._popup = L.popup({ maxWidth: 360, className: "fr-leaflet-popup" }); }
      this._popup.setLatLng(at).setContent(content);
      if (!this._map.hasLayer(this._popup)) { this._popup.openOn(this._map); } else { this._popup.update(); }
    },

    /* Events in view whose circle is within ``tol`` px of container point ``p`` (points mode only):
       [{i, d: distance to the centre, edge: distance to the circle (0 inside)}], nearest first. */
    pickAt: function (p, tol) {
      if (!this._ready || !this._view || this._mode !== "points") { return []; }
      var sx = this._sx, sy = this._sy, radius = this._radius;
      return this._hits(p, 500, tol).map(function (i) {
        var d = Math.sqrt((sx[i] - p.x) * (sx[i] - p.x) + (sy[i] - p.y) * (sy[i] - p.y));
        return { i: i, d: d, edge: Math.max(0, d - radius[i]) };
      });
    },

    /* "id: title" of event i: what a click reports to the page, and the "Also here" list shows. */
    eventLabel: function (i) {
      return text(this._cols.id, i) + ": " + text(this._cols.title, i);
    },

    /* Open event i's popup, with ``extra`` (a DOM node: the map's "Also here" list) under it. */
    openEvent: function (i, extra) {
      var p = this._cols.place[i], scale = this._header.scale;
      this._openPopup([i], 0, L.latLng(this._cols.py[p] / scale, this._cols.px[p] / scale), extra);
    },

    _openPopup: function (hits, k, latlng, extra) {
      if (hits[0] < 0) { this._showPopup(latlng, this.cellPopup(-1 - hits[0])); return; }
      var self = this, i = hits[k], scale = this._header.scale;
      var box = L.DomUtil.create("div", "fr-fast-popup");
      box.innerHTML = this.popupHtml(i) + (hits.length > 1
        ? "<p class='fr-pager'><button type='button' data-step='-1' aria-label='" + esc(say("previous")) + "'>‹</button> " +
          esc(say("{k} of {n} events here", thousands(hits.length)).split("{k}").join(thousands(k + 1))) + " " +
          "<button type='button' data-step='1' aria-label='" + esc(say("next")) + "'>›</button></p>"
        : "");
      if (extra) { box.appendChild(extra); }
      L.DomEvent.disableClickPropagation(box);
      Array.prototype.forEach.call(box.querySelectorAll("button[data-step]"), function (b) {
        b.addEventListener("click", function () {
          var step = parseInt(b.getAttribute("data-step"), 10);
          self._openPopup(hits, (k + step + hits.length) % hits.length, latlng);
        });
      });
      var p = this._cols.place ? this._cols.place[i] : 0;
      var at = L.latLng(this._cols.py[p] / scale, this._cols.px[p] / scale);
      this._showPopup(at, box);
      /* Tell the page which record this is, the way a folium feature's tooltip does: streamlit-folium
         reads the clicked layer's tooltip ("ID: title"), escaped here because it parses it as HTML. */
      var label = esc(this.eventLabel(i));
      this.fire("click", { latlng: at, sourceTarget: {
        getTooltip: function () { return { getContent: function () { return label; } }; },
        _tooltip: { _content: label } } });
    },

    /* What a density cell stands for: {count, fatalities, unknown, ids, first, last, kinds}. */
    cellSummary: function (c) {
      var grid = this._grid, cols = this._cols, h = this._header, kinds = {}, ids = [], first = Infinity, last = -Infinity;
      for (var i = grid.head[c]; i >= 0; i = this._next[i]) {
        ids.push(text(cols.id, i));
        var kind = text(cols.kind, i);
        kinds[kind] = (kinds[kind] || 0) + 1;
        if (cols.start[i] !== h.noDay) { first = Math.min(first, cols.start[i]); last = Math.max(last, cols.start[i]); }
      }
      return { count: grid.count[c], fatalities: grid.fatal[c], unknown: grid.unknown[c], ids: ids, kinds: kinds,
               first: first === Infinity ? "" : isoDay(first, h.noDay), last: last === -Infinity ? "" : isoDay(last, h.noDay) };
    },

    /* The popup of a density cell, built with textContent (no HTML from data). */
    cellPopup: function (c) {
      var s = this.cellSummary(c), box = el("div", "fr-popup fr-cell-popup");
      box.appendChild(el("h4", "", say(s.count === 1 ? "{n} event in this cell" : "{n} events in this cell", thousands(s.count))));
      var table = el("table"), rows = [[say("Fatalities"), thousands(s.fatalities) +
        (s.unknown ? say(" (not reported for {n})", thousands(s.unknown)) : "")]];
      var day = this._dayText(), kindText = this.options.kindText || {};
      if (s.first) { rows.push([say("Dates"), s.first === s.last ? day(s.first) : day(s.first) + " – " + day(s.last)]); }
      Object.keys(s.kinds).sort(function (a, b) { return s.kinds[b] - s.kinds[a]; }).slice(0, 5).forEach(function (k) {
        rows.push([kindText[k] || k || say("(no kind)"), thousands(s.kinds[k])]);
      });
      addRows(table, rows);
      box.appendChild(table);
      box.appendChild(el("p", "fr-meta", say("Zoom in or narrow the dates to see the events one by one.")));
      L.DomEvent.disableClickPropagation(box);
      return box;
    },

    /* Density cells drawn now: [{x, y, count, fatalities, unknown}] (for tests and the legend). */
    densityCells: function () {
      var grid = this._grid;
      return (this._cellsDrawn || []).map(function (cl) {
        return { cell: cl[0], x: cl[1], y: cl[2], count: grid.count[cl[0]], fatalities: grid.fatal[cl[0]],
                 unknown: grid.unknown[cl[0]] };
      });
    },

    /* The hook for one clock over every layer (static/frontera/clock.js): draw only the events for which
       keep(startDay, spanDays) is true (days since 1970-01-01; spanDays -1: no end); null draws all. Redraws. */
    setDayFilter: function (keep) {
      this._keepDay = keep || null;
      this._lastPoints = null;  // other events: draw the whole frame
      this._reset();
    },

    /* Choose points, hexagons, heat or auto (redraws). */
    setDensity: function (mode) {
      if (MODES.indexOf(mode) < 0) { throw new Error("density " + JSON.stringify(mode) + " is not one of " + MODES.join(", ")); }
      this._chosen = mode;
      this._lastPoints = null;
      this._reset();
      return this;
    },

    /* A day ("2024-07-16") as the session's language writes it (Babel's long date, through the browser's Intl). */
    _dayText: function () {
      var o = this.options, fmt = o.dateLocale && window.Intl
        ? new Intl.DateTimeFormat(o.dateLocale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }) : null;
      return function (iso) { return fmt && iso ? fmt.format(new Date(iso + "T00:00:00Z")) : iso; };
    },

    /* The popup of event i: the fields of frontera.popups.record_popup, every value escaped. */
    popupHtml: function (i) {
      var cols = this._cols, h = this._header, o = this.options;
      function row(label, html) { return html ? "<tr><th>" + esc(say(label)) + "</th><td>" + html + "</td></tr>" : ""; }
      function count(v, unknown) { return v < 0 ? esc(unknown) : thousands(v); }
      var day = this._dayText();
      var s = day(isoDay(cols.start[i], h.noDay)), e = cols.span[i] < 0 ? "" : day(isoDay(cols.start[i] + cols.span[i], h.noDay)), when;
      if (!e) { when = say("{start} – ongoing").split("{start}").join(s); } else if (s === e) { when = s; } else { when = s + " – " + e; }
      var dp = text(cols.date_precision, i);
      when += " (" + ((o.datePrecisionText || {})[dp] || dp) + ")";
      var dateNote = text(cols.date_note, i);
      if (dateNote) { when += "; " + dateNote; }
      var gp = text(cols.geo_precision, i);
      var where = [esc(text(cols.place_note, i)), esc((o.geoPrecisionText || {})[gp] || gp)];
      if (cols.uncertainty[i] !== h.noUncertainty && cols.uncertainty[i] > 0) {
        where.push(esc(say("within about {km} km").split("{km}").join(String(cols.uncertainty[i] / 10))));
      }
      var rows = row("When", esc(when)) +
        row("Kind", esc((o.kindText || {})[text(cols.kind, i)] || text(cols.kind, i))) +
        row("Fatalities", count(cols.fatalities[i], say("not reported"))) +
        (cols.injured[i] >= 0 ? row("Injured", count(cols.injured[i], "")) : "") +
        row("Actors", esc(text(cols.actors, i))) +
        row("Where", where.filter(Boolean).join("; "));
      var sources = h.sources || {};
      var items = text(cols.source_ids, i).split(";").map(function (x) { return x.trim(); }).filter(Boolean)
        .map(function (sid) {
          var src = Object.prototype.hasOwnProperty.call(sources, sid) ? sources[sid] : null;
          if (!src) { return "<li>" + esc(sid) + "</li>"; }
          var label = esc(src[0]) + ", “" + esc(src[1]) + "” (" + esc(src[2]) + ")";
          var url = safeUrl(src[3]);
          if (url) { label = "<a href=\"" + esc(url) + "\" target=\"_blank\" rel=\"noopener noreferrer\">" + label + "</a>"; }
          return "<li>" + label + " <span class='fr-sid'>[" + esc(sid) + "]</span></li>";
        });
      var dataset = text(cols.dataset, i);
      return "<div class='fr-popup'><h4>" + esc(text(cols.title, i)) + "</h4>" +
        "<p class='fr-meta'>" + esc((o.layerText || {})[text(cols.layer, i)] || text(cols.layer, i)) + " · " + esc(text(cols.id, i)) +
        (dataset && dataset !== "bundled" ? " · " + esc(dataset) : "") + "</p>" +
        "<table>" + rows + "</table>" +
        "<p class='fr-h'>" + esc(say("Sources")) + "</p>" + (items.length ? "<ul class='fr-sources'>" + items.join("") + "</ul>" : "") +
        "</div>";
    },

    /* Index of the event with this id, or -1 (for tests and links). */
    indexOf: function (id) {
      var col = this._cols.id;
      for (var i = 0; i < this._n; i++) { if (text(col, i) === id) { return i; } }
      return -1;
    },

    /* ------------------------------------------------ the note on the map (legend of what is drawn) */

    _onAdded: function (map) {
      var self = this, note = L.control({ position: "bottomleft" });
      note.onAdd = function () {
        var div = el("div", "frontera-density-note");
        div.setAttribute("data-layer", self.options.name || "");
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      };
      this._note = note.addTo(map);
    },

    _onRemoved: function () {
      if (this._note) { this._note.remove(); this._note = null; }
    },

    _updateNote: function () {
      var div = this._note && this._note.getContainer();
      if (!div) { return; }
      var self = this, mode = this._mode, chosen = this._chosen || this.options.density || "auto";
      var name = this.options.name || "events", title = this.options.title || name.charAt(0).toUpperCase() + name.slice(1);
      var fatal = 0, unknown = 0, grid = this._grid;
      if (mode === "hexagons") {
        (this._cellsDrawn || []).forEach(function (cl) { fatal += grid.fatal[cl[0]]; unknown += grid.unknown[cl[0]]; });
      }
      /* Rebuilt only when what it says changes (a small pan usually changes nothing: no DOM work). */
      var said = [mode, chosen, this._inView, this._ringsHidden, this._max, fatal, unknown].join("|");
      if (said === this._noteSaid) { return; }
      this._noteSaid = said;
      div.textContent = "";
      div.setAttribute("data-mode", mode);
      var what = say(mode === "points" ? "{n} in view, one circle each"
        : mode === "hexagons" ? "{n} in view, shown as density: events per hexagon"
          : "{n} in view, shown as a heat surface (density of events)", thousands(this._inView));
      div.appendChild(el("div", "fr-note-what", title + ": " + what));
      if (mode === "points" && this._ringsHidden) {
        div.appendChild(el("div", "fr-note-hint", say("Rings of place uncertainty hidden: too many overlap here; zoom in to see them.")));
      }
      if (mode === "hexagons") {
        div.appendChild(el("div", "fr-note-fatal", say("Fatalities in these cells: {n}", thousands(fatal)) +
          (unknown ? say(" (not reported for {n} events)", thousands(unknown)) : "") + say("; click a cell for its own.")));
      }
      if (mode !== "points") {
        div.appendChild(this._rampLegend(mode));
        div.appendChild(el("div", "fr-note-hint", chosen === "auto"
          ? say("Too many overlap to show one by one: zoom in or narrow the dates to see single events.")
          : say("Zoom in or narrow the dates to see fewer events; choose points to see each one.")));
      }
      var buttons = el("div", "fr-note-modes");
      MODES.forEach(function (m) {
        var b = el("button", m === chosen ? "fr-on" : "", say(m));
        b.type = "button";
        b.setAttribute("data-density", m);
        b.addEventListener("click", function () { self.setDensity(m); self._reportDensity(m); });
        buttons.appendChild(b);
      });
      div.appendChild(buttons);
    },

    /* Tell the page (streamlit-folium reads a clicked layer's tooltip) which density the person chose, so that
       the view and its URL keep it: options.densityPick + mode + "#" + time (a new value for every pick). */
    _reportDensity: function (mode) {
      if (!this.options.densityPick || !this._map) { return; }
      var label = this.options.densityPick + mode + "#" + Date.now();
      this.fire("click", { latlng: this._map.getCenter(), sourceTarget: {
        getTooltip: function () { return { getContent: function () { return label; } }; },
        _tooltip: { _content: label } } });
    },

    _rampLegend: function (mode) {
      var row = el("div", "fr-note-ramp"), max = this._max || 1;
      if (mode === "heat") {
        HEAT.forEach(function (c) {
          var sw = el("span", "fr-sw");
          sw.style.background = "rgb(" + c.join(",") + ")";
          row.appendChild(sw);
        });
        row.appendChild(el("span", "fr-ramp-text", say("fewer → more events")));
        return row;
      }
      var breaks = shadeBreaks(max);
      RAMP.forEach(function (c, s) {
        var sw = el("span", "fr-sw");
        sw.style.background = c;
        row.appendChild(sw);
        row.appendChild(el("span", "fr-ramp-text", (s === RAMP.length - 1 ? "≥ " : "") + short(breaks[s])));
      });
      row.appendChild(el("span", "fr-ramp-text", say(" (max {n})", thousands(max))));
      return row;
    }
  });

  L.FronteraFastPoints = FastPoints;
  L.fronteraFastPoints = function (header, b64, options) { return new FastPoints(header, b64, options); };
})();
