/* Frontera: events and H3 hexagons drawn on a Leaflet canvas from compact arrays.
 *
 * L.fronteraFastPoints(header, base64, options) and L.fronteraHexagons(header, base64, options)
 * read what frontera/layers/fastpoints.py packs: typed arrays and string tables in one
 * (deflated) buffer. Each layer draws on its own canvas, redrawn after every move and
 * zoom; clicks are found through a grid index and popups are built on click from the
 * arrays. Every data value is HTML-escaped before it reaches a popup.
 *
 * The canvas carries the class "frontera-fastpoints" (or "frontera-hexagons") and, after
 * each draw, data-drawn = the number of events (cells) drawn in view: tests and the
 * benchmark wait for it.
 */
(function () {
  "use strict";
  var L = window.L;
  if (!L || L.fronteraFastPoints) { return; }

  var TYPES = { i32: Int32Array, u32: Uint32Array, u16: Uint16Array, u8: Uint8Array, f32: Float32Array };
  var SEP = "\u001f";
  var TAU = Math.PI * 2;
  var MAX_LAT = 85.0511287798;

  function esc(value) {
    return String(value === undefined || value === null ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function safeUrl(url) {
    url = String(url || "").trim();
    return /^https?:\/\//i.test(url) ? url : null;
  }

  function bytesOf(b64) {
    if (typeof Uint8Array.fromBase64 === "function") { return Uint8Array.fromBase64(b64); }
    var s = atob(b64), n = s.length, out = new Uint8Array(n);
    for (var i = 0; i < n; i++) { out[i] = s.charCodeAt(i); }
    return out;
  }

  /* The payload's buffer (a Promise of an ArrayBuffer). */
  function unpack(header, b64) {
    var bin = bytesOf(b64);
    if (header.codec === "raw") { return Promise.resolve(bin.buffer); }
    var stream = new Blob([bin]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).arrayBuffer();
  }

  /* Columns by name: typed arrays, or {table, codes} for text. */
  function readColumns(header, buffer) {
    var cols = header.columns, out = {}, decoder = new TextDecoder(), name, c;
    for (name in cols) {
      c = cols[name];
      if (c.t === "str") {
        out[name] = { table: decoder.decode(new Uint8Array(buffer, c.o, c.b)).split(SEP), codes: null };
      } else {
        out[name] = new TYPES[c.t](buffer, c.o, c.n);
      }
    }
    for (name in cols) {
      if (cols[name].t === "str" && cols[name].codes) { out[name].codes = out[cols[name].codes]; }
    }
    return out;
  }

  function text(col, i) { return col.codes ? col.table[col.codes[i]] : col.table[0]; }

  /* Web Mercator, normalised to [0, 1] (Leaflet's pixel = this * 256 * 2^zoom). */
  function mercX(lon) { return lon / 360 + 0.5; }
  function mercY(lat) {
    lat = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI / 180;
    return 0.5 - Math.log(Math.tan(Math.PI / 4 + lat / 2)) / TAU;
  }

  function isoDay(day, noDay) {
    if (day === noDay) { return ""; }
    return new Date(day * 86400000).toISOString().slice(0, 10);
  }

  function hexToRgba(hex, alpha) {
    var v = parseInt(hex.slice(1), 16);
    return "rgba(" + ((v >> 16) & 255) + "," + ((v >> 8) & 255) + "," + (v & 255) + "," + alpha + ")";
  }

  /* What both layers share: a canvas in its own pane, kept on the map's view. */
  var CanvasLayer = L.Layer.extend({
    cssClass: "frontera-canvas",

    initialize: function (header, b64, options) {
      L.setOptions(this, options);
      this._header = header;
      this._b64 = b64;
      this._ready = false;
      var self = this;
      this.loaded = unpack(header, b64).then(function (buffer) {
        self._b64 = null;
        self._prepare(readColumns(header, buffer));
        self._ready = true;
        if (self._map) { self._reset(); }
      });
    },

    onAdd: function (map) {
      var paneName = "fronteraCanvas" + (this.options.zIndex || 450);
      var pane = map.getPane(paneName) || map.createPane(paneName);
      pane.style.zIndex = String(this.options.zIndex || 450);
      pane.style.pointerEvents = "none";
      var canvas = this._canvas = L.DomUtil.create("canvas", this.cssClass + " leaflet-zoom-animated");
      canvas.style.pointerEvents = "none";
      canvas.setAttribute("data-layer", this.options.name || "");
      pane.appendChild(canvas);
      map.on("moveend viewreset resize", this._reset, this);
      map.on("click", this._onClick, this);
      map.on("mousemove", this._onMouseMove, this);
      if (map.options.zoomAnimation && L.Browser.any3d) { map.on("zoomanim", this._animateZoom, this); }
      this._reset();
    },

    onRemove: function (map) {
      map.off("moveend viewreset resize", this._reset, this);
      map.off("click", this._onClick, this);
      map.off("mousemove", this._onMouseMove, this);
      map.off("zoomanim", this._animateZoom, this);
      L.DomUtil.remove(this._canvas);
      map.getContainer().style.cursor = "";
      this._canvas = null;
    },

    _animateZoom: function (e) {
      if (!this._viewBounds) { return; }
      var scale = this._map.getZoomScale(e.zoom);
      var offset = this._map._latLngBoundsToNewLayerBounds(this._viewBounds, e.zoom, e.center).min;
      L.DomUtil.setTransform(this._canvas, offset, scale);
    },

    _reset: function () {
      var map = this._map, canvas = this._canvas;
      if (!map || !canvas) { return; }
      var size = map.getSize(), topLeft = map.containerPointToLayerPoint([0, 0]);
      var ratio = window.devicePixelRatio || 1;
      canvas.width = Math.round(size.x * ratio);
      canvas.height = Math.round(size.y * ratio);
      canvas.style.width = size.x + "px";
      canvas.style.height = size.y + "px";
      L.DomUtil.setPosition(canvas, topLeft);
      this._topLeft = topLeft;
      this._viewBounds = map.getBounds();
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      if (!this._ready) { return; }
      var zoom = map.getZoom(), origin = map.getPixelOrigin();
      var view = { zoom: zoom, scale: 256 * Math.pow(2, zoom), ox: origin.x + topLeft.x, oy: origin.y + topLeft.y,
                   w: size.x, h: size.y };
      var drawn = this._draw(ctx, view);
      this._view = view;
      canvas.setAttribute("data-drawn", String(drawn));
      canvas.setAttribute("data-zoom", String(zoom));
      this.fire("drawn", { drawn: drawn });
      /* When each draw finished, for the benchmark and browser tests (bounded). */
      var log = window.__fronteraDraws = window.__fronteraDraws || [];
      log.push({ t: performance.timeOrigin + performance.now(), n: drawn, cls: this.cssClass });
      if (log.length > 100) { log.shift(); }
    },

    /* Canvas coordinates of a Leaflet mouse event. */
    _canvasPoint: function (e) {
      return { x: e.layerPoint.x - this._topLeft.x, y: e.layerPoint.y - this._topLeft.y };
    },

    _onMouseMove: function (e) {
      if (!this._ready || !this._view) { return; }
      var hit = this._hits(this._canvasPoint(e), 1).length > 0;
      if (hit !== this._hovering) {
        this._hovering = hit;
        this._map.getContainer().style.cursor = hit ? "pointer" : "";
      }
    },

    _onClick: function (e) {
      if (!this._ready || !this._view) { return; }
      var hits = this._hits(this._canvasPoint(e), 500);
      if (!hits.length) { return; }
      this._openPopup(hits, 0, e.latlng);
    }
  });

  /* ---------------------------------------------------------------- events */

  var FastPoints = CanvasLayer.extend({
    cssClass: "frontera-fastpoints",

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
        radius[i] = f > 0 ? Math.round((5 + 2.2 * Math.sqrt(f)) * 10) / 10 : 5;
        if (radius[i] > maxR) { maxR = radius[i]; }
        ringKm[i] = unc[i] === h.noUncertainty ? geoDefault[geo.codes ? geo.codes[i] : 0] : unc[i] / 10;
      }
      this._maxR = Math.min(maxR, 80);
      /* Draw order: grouped by colour and fill, so each group is one canvas path. */
      var kinds = cols.kind, colours = o.colours || {}, fallback = o.fallbackColour || "#525252";
      var kindColour = kinds.table.map(function (k) { return colours[k] || fallback; });
      var palette = [], paletteIndex = {};
      kindColour.forEach(function (c) { if (!(c in paletteIndex)) { paletteIndex[c] = palette.length; palette.push(c); } });
      var group = new Uint16Array(n);
      for (i = 0; i < n; i++) {
        var c = paletteIndex[kindColour[kinds.codes ? kinds.codes[i] : 0]];
        group[i] = c * 2 + (fat[i] < 0 ? 1 : 0);
      }
      var order = new Uint32Array(n);
      for (i = 0; i < n; i++) { order[i] = i; }
      order.sort(function (a, b) { return group[a] - group[b] || radius[b] - radius[a]; });
      this._order = order;
      this._group = group;
      this._palette = palette;
      this._sx = new Float32Array(n);
      this._sy = new Float32Array(n);
      this._next = new Int32Array(n);
    },

    _draw: function (ctx, v) {
      var n = this._n, mx = this._mx, my = this._my, radius = this._radius, order = this._order;
      var group = this._group, palette = this._palette, sx = this._sx, sy = this._sy, next = this._next;
      var cell = this._cell = Math.max(24, Math.ceil(this._maxR * 2));
      var gw = this._gw = Math.ceil(v.w / cell) + 1, gh = this._gh = Math.ceil(v.h / cell) + 1;
      var head = this._head = new Int32Array(gw * gh).fill(-1);
      var drawn = 0, current = -1, k, i, px, py, r, g;
      var rings = v.zoom >= (this.options.ringMinZoom || 9);
      var visible = rings ? [] : null;
      ctx.lineWidth = 1.5;
      for (k = 0; k < n; k++) {
        i = order[k];
        px = mx[i] * v.scale - v.ox;
        py = my[i] * v.scale - v.oy;
        r = radius[i];
        sx[i] = px; sy[i] = py;
        if (px < -r || py < -r || px > v.w + r || py > v.h + r) { continue; }
        g = group[i];
        if (g !== current) {
          if (current >= 0) { this._paint(ctx, current); }
          ctx.beginPath();
          current = g;
        }
        ctx.moveTo(px + r, py);
        ctx.arc(px, py, r, 0, TAU);
        if (px >= 0 && py >= 0 && px < v.w && py < v.h) {
          var c = Math.floor(py / cell) * gw + Math.floor(px / cell);
          next[i] = head[c];
          head[c] = i;
        }
        if (visible) { visible.push(i); }
        drawn++;
      }
      if (current >= 0) { this._paint(ctx, current); }
      if (visible && visible.length && visible.length <= 20000) { this._drawRings(ctx, v, visible); }
      return drawn;
    },

    _paint: function (ctx, g) {
      var colour = this._palette[g >> 1], hollow = g & 1;
      ctx.fillStyle = hollow ? "rgba(255,255,255,0.9)" : hexToRgba(colour, 0.7);
      ctx.strokeStyle = colour;
      ctx.fill();
      ctx.stroke();
    },

    /* Dashed rings of uncertainty, under nothing but over the map: faint, so circles stay readable. */
    _drawRings: function (ctx, v, visible) {
      var ringKm = this._ringKm, lat = this._lat, sx = this._sx, sy = this._sy, group = this._group;
      var palette = this._palette, byColour = {};
      visible.forEach(function (i) {
        if (ringKm[i] > 0) { (byColour[group[i] >> 1] = byColour[group[i] >> 1] || []).push(i); }
      });
      ctx.save();
      ctx.setLineDash([4, 4]);
      ctx.lineWidth = 1.2;
      Object.keys(byColour).forEach(function (p) {
        ctx.beginPath();
        byColour[p].forEach(function (i) {
          var metresPerPx = 40075016.686 * Math.cos(lat[i] * Math.PI / 180) / v.scale;
          var r = ringKm[i] * 1000 / metresPerPx;
          ctx.moveTo(sx[i] + r, sy[i]);
          ctx.arc(sx[i], sy[i], r, 0, TAU);
        });
        ctx.fillStyle = hexToRgba(palette[p], 0.05);
        ctx.strokeStyle = hexToRgba(palette[p], 0.45);
        ctx.fill();
        ctx.stroke();
      });
      ctx.restore();
    },

    /* Events whose circle contains the point, nearest first (at most `limit`). */
    _hits: function (p, limit) {
      var cell = this._cell, gw = this._gw, gh = this._gh, head = this._head, next = this._next;
      var sx = this._sx, sy = this._sy, radius = this._radius, out = [];
      var reach = Math.ceil((this._maxR + 3) / cell);
      var cx = Math.floor(p.x / cell), cy = Math.floor(p.y / cell);
      for (var gy = Math.max(0, cy - reach); gy <= Math.min(gh - 1, cy + reach); gy++) {
        for (var gx = Math.max(0, cx - reach); gx <= Math.min(gw - 1, cx + reach); gx++) {
          for (var i = head[gy * gw + gx]; i >= 0; i = next[i]) {
            var dx = sx[i] - p.x, dy = sy[i] - p.y, d = Math.sqrt(dx * dx + dy * dy);
            if (d <= radius[i] + 3) { out.push([d, i]); }
          }
        }
      }
      out.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      return out.slice(0, limit).map(function (h) { return h[1]; });
    },

    _openPopup: function (hits, k, latlng) {
      var self = this, i = hits[k], scale = this._header.scale;
      var box = L.DomUtil.create("div", "fr-fast-popup");
      box.innerHTML = this.popupHtml(i) + (hits.length > 1
        ? "<p class='fr-pager'><button type='button' data-step='-1' aria-label='previous'>‹</button> " +
          (k + 1) + " of " + hits.length + " events here " +
          "<button type='button' data-step='1' aria-label='next'>›</button></p>"
        : "");
      L.DomEvent.disableClickPropagation(box);
      Array.prototype.forEach.call(box.querySelectorAll("button[data-step]"), function (b) {
        b.addEventListener("click", function () {
          var step = parseInt(b.getAttribute("data-step"), 10);
          self._openPopup(hits, (k + step + hits.length) % hits.length, latlng);
        });
      });
      var p = this._cols.place ? this._cols.place[i] : 0;
      var at = L.latLng(this._cols.py[p] / scale, this._cols.px[p] / scale);
      if (!this._popup) { this._popup = L.popup({ maxWidth: 360, className: "fr-leaflet-popup" }); }
      this._popup.setLatLng(at).setContent(box);
      if (!this._map.hasLayer(this._popup)) { this._popup.openOn(this._map); } else { this._popup.update(); }
      /* Tell the page which record this is, the way a folium feature's tooltip does: streamlit-folium
         reads the clicked layer's tooltip ("ID: title"), escaped here because it parses it as HTML. */
      var label = esc(text(this._cols.id, i) + ": " + text(this._cols.title, i));
      this.fire("click", { latlng: at, sourceTarget: {
        getTooltip: function () { return { getContent: function () { return label; } }; },
        _tooltip: { _content: label } } });
    },

    /* The popup of event i: the fields of frontera.popups.record_popup, every value escaped. */
    popupHtml: function (i) {
      var c = this._cols, h = this._header, o = this.options;
      function row(label, html) { return html ? "<tr><th>" + esc(label) + "</th><td>" + html + "</td></tr>" : ""; }
      function count(v, unknown) { return v < 0 ? esc(unknown) : v.toLocaleString("en-US"); }
      var s = isoDay(c.start[i], h.noDay), e = c.span[i] < 0 ? "" : isoDay(c.start[i] + c.span[i], h.noDay), when;
      if (!e) { when = s + " – ongoing"; } else if (s === e) { when = s; } else { when = s + " – " + e; }
      var dp = text(c.date_precision, i);
      when += " (" + ((o.datePrecisionText || {})[dp] || dp) + ")";
      var dateNote = text(c.date_note, i);
      if (dateNote) { when += "; " + dateNote; }
      var gp = text(c.geo_precision, i);
      var where = [esc(text(c.place_note, i)), esc((o.geoPrecisionText || {})[gp] || gp)];
      if (c.uncertainty[i] !== h.noUncertainty && c.uncertainty[i] > 0) {
        where.push("within about " + (c.uncertainty[i] / 10) + " km");
      }
      var rows = row("When", esc(when)) +
        row("Kind", esc(text(c.kind, i))) +
        row("Fatalities", count(c.fatalities[i], "not reported")) +
        (c.injured[i] >= 0 ? row("Injured", count(c.injured[i], "")) : "") +
        row("Actors", esc(text(c.actors, i))) +
        row("Where", where.filter(Boolean).join("; "));
      var sources = h.sources || {};
      var items = text(c.source_ids, i).split(";").map(function (x) { return x.trim(); }).filter(Boolean)
        .map(function (sid) {
          var src = Object.prototype.hasOwnProperty.call(sources, sid) ? sources[sid] : null;
          if (!src) { return "<li>" + esc(sid) + "</li>"; }
          var label = esc(src[0]) + ", “" + esc(src[1]) + "” (" + esc(src[2]) + ")";
          var url = safeUrl(src[3]);
          if (url) { label = "<a href=\"" + esc(url) + "\" target=\"_blank\" rel=\"noopener noreferrer\">" + label + "</a>"; }
          return "<li>" + label + " <span class='fr-sid'>[" + esc(sid) + "]</span></li>";
        });
      var dataset = text(c.dataset, i);
      return "<div class='fr-popup'><h4>" + esc(text(c.title, i)) + "</h4>" +
        "<p class='fr-meta'>" + esc(text(c.layer, i)) + " · " + esc(text(c.id, i)) +
        (dataset && dataset !== "bundled" ? " · " + esc(dataset) : "") + "</p>" +
        "<table>" + rows + "</table>" +
        "<p class='fr-h'>Sources</p>" + (items.length ? "<ul class='fr-sources'>" + items.join("") + "</ul>" : "") +
        "</div>";
    },

    /* Index of the event with this id, or -1 (for tests and links). */
    indexOf: function (id) {
      var col = this._cols.id;
      for (var i = 0; i < this._n; i++) { if (text(col, i) === id) { return i; } }
      return -1;
    }
  });

  /* -------------------------------------------------------------- hexagons */

  var RAMP = ["#fee8c8", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"];

  var Hexagons = CanvasLayer.extend({
    cssClass: "frontera-hexagons",

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
      this._logMax = Math.log(1 + max);
      this._sx = new Float32Array(n * 6);
      this._sy = new Float32Array(n * 6);
    },

    _shade: function (count) {
      var t = Math.log(1 + count) / this._logMax;
      return RAMP[Math.min(RAMP.length - 1, Math.floor(t * RAMP.length))];
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
        ctx.fillStyle = hexToRgba(this._shade(count[i]), 0.75);
        ctx.fill();
        ctx.stroke();
        if (maxX - minX >= 30) { labels.push([(minX + maxX) / 2, (minY + maxY) / 2, count[i]]); }
        drawn++;
      }
      ctx.fillStyle = "#1f2937";
      ctx.font = "11px sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      labels.forEach(function (l) { ctx.fillText(l[2] >= 10000 ? Math.round(l[2] / 1000) + "k" : String(l[2]), l[0], l[1]); });
      return drawn;
    },

    _hits: function (p, limit) {
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
      var c = this._cols, i = hits[0];
      var html = "<div class='fr-popup'><h4>" + c.count[i].toLocaleString("en-US") + " events</h4><table>" +
        "<tr><th>Fatalities</th><td>" + c.fatalities[i].toLocaleString("en-US") +
        (c.unknown[i] ? " (not reported for " + c.unknown[i].toLocaleString("en-US") + " events)" : "") + "</td></tr>" +
        "<tr><th>Area</th><td>H3 cell " + esc(text(c.cell, i)) + " (resolution " + esc(this._header.res) + ")</td></tr>" +
        "</table>" + (this.options.note ? "<p><i>" + esc(this.options.note) + "</i></p>" : "") + "</div>";
      L.popup({ maxWidth: 360, className: "fr-leaflet-popup" }).setLatLng(latlng).setContent(html).openOn(this._map);
    }
  });

  L.FronteraFastPoints = FastPoints;
  L.FronteraHexagons = Hexagons;
  L.fronteraFastPoints = function (header, b64, options) { return new FastPoints(header, b64, options); };
  L.fronteraHexagons = function (header, b64, options) { return new Hexagons(header, b64, options); };
  L.fronteraEscape = esc;
})();
