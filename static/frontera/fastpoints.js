/* Frontera: events and H3 hexagons drawn on a Leaflet canvas from compact arrays.
 *
 * L.fronteraFastPoints(header, base64, options) and L.fronteraHexagons(header, base64, options)
 * read what frontera/layers/fastpoints.py packs: typed arrays and string tables in one
 * (deflated) buffer. Each layer draws on its own canvas, redrawn after every move and zoom.
 *
 * Events are rasterised, not stroked: each circle is a precomputed sprite (the pixels of one
 * radius and colour, drawn once with the canvas API) copied into one pixel buffer with alpha
 * blending, then one putImageData per frame. Filling one canvas path with N overlapping arcs
 * costs far more than N times one arc; copying sprites costs N times one sprite. Only events
 * in view are drawn.
 *
 * Density is decided here, from what is on screen: the events in view are binned into screen
 * hexagons; when most of them sit in crowded cells the layer shows the cells (counts, shade by
 * count) or a heat surface instead of circles, and says so in its note on the map. Zooming in
 * or narrowing the dates brings single events back. options.density: "auto" (default),
 * "points", "hexagons" or "heat"; the note's buttons switch it.
 *
 * Clicks and hover go through a grid index on screen coordinates (points) or the hexagon
 * under the cursor (density); popups are built on click, every data value escaped (event
 * popups) or set as textContent (cell popups).
 *
 * The canvas carries the class "frontera-fastpoints" (or "frontera-hexagons") and, after each
 * draw, data-drawn = the number of events drawn in view (for density: the events the drawn cells
 * stand for; data-cells = the cells; for server hexagons: the cells) and data-mode = points,
 * hexagons or heat: tests and the benchmark wait for it.
 */
(function () {
  "use strict";
  var L = window.L;
  if (!L || L.fronteraFastPoints) { return; }

  var TYPES = { i32: Int32Array, u32: Uint32Array, u16: Uint16Array, u8: Uint8Array, f32: Float32Array };
  var SEP = "\u001f";
  var TAU = Math.PI * 2;
  var SQRT3 = Math.sqrt(3);
  var MAX_LAT = 85.0511287798;
  var MODES = ["auto", "points", "hexagons", "heat"];

  /* ------------------------------------------------------------ utilities */

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
  function code(col, i) { return col.codes ? col.codes[i] : 0; }

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

  function rgb(hex) {
    var v = parseInt(hex.slice(1), 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }

  function hexToRgba(hex, alpha) {
    var c = rgb(hex);
    return "rgba(" + c[0] + "," + c[1] + "," + c[2] + "," + alpha + ")";
  }

  function thousands(n) { return Number(n).toLocaleString("en-US"); }
  function short(n) { return n >= 10000 ? Math.round(n / 1000) + "k" : n >= 1000 ? (n / 1000).toFixed(1) + "k" : String(n); }

  /* A DOM element with text content (never HTML from data). */
  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (content !== undefined && content !== null) { e.textContent = String(content); }
    return e;
  }

  /* ``rows`` ([label, value] pairs) appended to ``table`` as text rows. */
  function addRows(table, rows) {
    rows.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("th", "", r[0]));
      tr.appendChild(el("td", "", r[1]));
      table.appendChild(tr);
    });
  }

  /* ---------------------------------------------------------- canvas base */

  /* What both layers share: a canvas in its own pane, kept on the map's view. */
  var CanvasLayer = L.Layer.extend({
    cssClass: "frontera-canvas",

    initialize: function (header, b64, options) {
      L.setOptions(this, options);
      this._header = header;
      this._b64 = b64;
      this._ready = false;
      var self = this, t0 = performance.now();
      this.loaded = unpack(header, b64).then(function (buffer) {
        var t1 = performance.now();
        self._b64 = null;
        self._prepare(readColumns(header, buffer));
        self._ready = true;
        /* How long the payload took to decode and to prepare (ms), for the benchmark. */
        self.loadTimes = { unpack: t1 - t0, prepare: performance.now() - t1 };
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
      this._onAdded(map);
      this._reset();
    },

    onRemove: function (map) {
      map.off("moveend viewreset resize", this._reset, this);
      map.off("click", this._onClick, this);
      map.off("mousemove", this._onMouseMove, this);
      map.off("zoomanim", this._animateZoom, this);
      this._onRemoved(map);
      L.DomUtil.remove(this._canvas);
      map.getContainer().style.cursor = "";
      this._canvas = null;
    },

    _onAdded: function () {},
    _onRemoved: function () {},

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
      var w = Math.round(size.x * ratio), h = Math.round(size.y * ratio);
      if (canvas.width !== w || canvas.height !== h) {  // resizing a canvas reallocates it: only when needed
        canvas.width = w;
        canvas.height = h;
        canvas.style.width = size.x + "px";
        canvas.style.height = size.y + "px";
      }
      L.DomUtil.setPosition(canvas, topLeft);
      this._topLeft = topLeft;
      this._viewBounds = map.getBounds();
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      if (!this._ready) { return; }
      var zoom = map.getZoom(), origin = map.getPixelOrigin();
      var view = { zoom: zoom, scale: 256 * Math.pow(2, zoom), ox: origin.x + topLeft.x, oy: origin.y + topLeft.y,
                   w: size.x, h: size.y, ratio: ratio, pw: w, ph: h };
      var t0 = performance.now();
      var drawn = this._draw(ctx, view);
      this._view = view;
      canvas.setAttribute("data-drawn", String(drawn));
      canvas.setAttribute("data-zoom", String(zoom));
      canvas.setAttribute("data-mode", this._mode || "");
      this.fire("drawn", { drawn: drawn, mode: this._mode });
      /* When each draw finished, how long it took and when it was on screen, for the benchmarks (bounded). */
      var log = window.__fronteraDraws = window.__fronteraDraws || [];
      var entry = { t: performance.timeOrigin + performance.now(), ms: performance.now() - t0, n: drawn,
                    mode: this._mode || "", cls: this.cssClass };
      log.push(entry);
      if (log.length > 100) { log.shift(); }
      /* f: when the frame holding this drawing was presented (two animation frames later). */
      requestAnimationFrame(function () {
        requestAnimationFrame(function () { entry.f = performance.timeOrigin + performance.now(); });
      });
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

  /* ------------------------------------------------------------- sprites */

  /* Pixels are blended premultiplied (each colour channel already multiplied by alpha, RGBA packed in one
     little-endian Uint32): blending is then two multiplications on channel pairs, no division. One pass per
     frame turns the buffer into ImageData's straight alpha. */
  function premultiplied(r, g, b, a) {
    return ((a << 24) | (Math.round(b * a / 255) << 16) | (Math.round(g * a / 255) << 8) | Math.round(r * a / 255)) >>> 0;
  }

  /* The pixels of one circle (fill and outline), drawn once with the canvas API: offsets from the
     centre pixel, premultiplied colour and alpha of each pixel that is not clear. */
  function makeSprite(radius, fill, stroke, lineWidth, ratio) {
    var r = radius * ratio, half = Math.ceil(r + lineWidth * ratio) + 1, size = 2 * half + 1;
    var c = document.createElement("canvas");
    c.width = c.height = size;
    var ctx = c.getContext("2d");
    ctx.beginPath();
    ctx.arc(half + 0.5, half + 0.5, r, 0, TAU);
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.lineWidth = lineWidth * ratio;
    ctx.strokeStyle = stroke;
    ctx.stroke();
    var px = ctx.getImageData(0, 0, size, size).data, n = 0, k;
    for (k = 3; k < px.length; k += 4) { if (px[k] > 0) { n++; } }
    var dx = new Int16Array(n), dy = new Int16Array(n), col = new Uint32Array(n), alpha = new Uint8Array(n), j = 0;
    for (k = 0; k < size * size; k++) {
      var a = px[4 * k + 3];
      if (!a) { continue; }
      dx[j] = (k % size) - half;
      dy[j] = Math.floor(k / size) - half;
      col[j] = premultiplied(px[4 * k], px[4 * k + 1], px[4 * k + 2], a);
      alpha[j] = a;
      j++;
    }
    return { dx: dx, dy: dy, col: col, alpha: alpha, n: n, half: half };
  }

  /* Copy a sprite centred on pixel (cx, cy) into acc (width W, height H, premultiplied) UNDER what is there:
     circles are drawn front to back, so a pixel that is already opaque is skipped at the cost of one read. */
  function blit(acc, W, H, s, cx, cy) {
    var dx = s.dx, dy = s.dy, col = s.col, n = s.n, half = s.half;
    var clip = cx - half < 0 || cy - half < 0 || cx + half >= W || cy + half >= H;
    for (var k = 0; k < n; k++) {
      var x = cx + dx[k], y = cy + dy[k];
      if (clip && (x < 0 || y < 0 || x >= W || y >= H)) { continue; }
      var p = y * W + x, dst = acc[p], da = dst >>> 24;
      if (da === 255) { continue; }
      if (da === 0) { acc[p] = col[k]; continue; }
      acc[p] = dst + scaled(col[k], 255 - da);
    }
  }

  /* Premultiplied colour c times f / 255 (exact rounding; two channels per multiplication). */
  function scaled(c, f) {
    var rb = (c & 0xFF00FF) * f + 0x800080, ag = ((c >>> 8) & 0xFF00FF) * f + 0x800080;
    rb = ((rb + ((rb >>> 8) & 0xFF00FF)) >>> 8) & 0xFF00FF;
    ag = ((ag + ((ag >>> 8) & 0xFF00FF)) >>> 8) & 0xFF00FF;
    return (rb | (ag << 8)) >>> 0;
  }

  /* Premultiplied colour src under pixel p of acc. */
  function under(acc, p, src) {
    var dst = acc[p], da = dst >>> 24;
    if (da === 255) { return; }
    acc[p] = da === 0 ? src : dst + scaled(src, 255 - da);
  }

  /* Premultiplied pixels (acc) to ImageData's straight alpha (out). */
  var UNPREMULTIPLY = new Float32Array(256);
  for (var ua = 1; ua < 256; ua++) { UNPREMULTIPLY[ua] = 255 / ua; }
  function unpremultiply(acc, out) {
    for (var p = 0, n = acc.length; p < n; p++) {
      var d = acc[p];
      if (d === 0) { out[p] = 0; continue; }
      var a = d >>> 24;
      if (a === 255) { out[p] = d; continue; }
      var f = UNPREMULTIPLY[a];
      var r = Math.min(255, ((d & 255) * f + 0.5) | 0), g = Math.min(255, (((d >>> 8) & 255) * f + 0.5) | 0);
      var b = Math.min(255, (((d >>> 16) & 255) * f + 0.5) | 0);
      out[p] = ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
    }
  }

  /* A dashed circle outline (4 px on, 4 px off) of radius r pixels centred on (cx, cy). */
  function dashedRing(buf, W, H, cx, cy, r, rgbValues, alpha) {
    var src = premultiplied(rgbValues[0], rgbValues[1], rgbValues[2], alpha);
    var steps = Math.ceil(TAU * r), d = TAU / steps, cd = Math.cos(d), sd = Math.sin(d), c = 1, s = 0, t;
    if (cx + r < 0 || cy + r < 0 || cx - r >= W || cy - r >= H) { return; }
    for (var j = 0; j < steps; j++) {
      if (!((j >> 2) & 1)) {
        var x = Math.round(cx + r * c), y = Math.round(cy + r * s);
        if (x >= 0 && y >= 0 && x < W && y < H) { under(buf, y * W + x, src); }
      }
      t = c * cd - s * sd; s = s * cd + c * sd; c = t;  // rotate by d
    }
  }

  /* A filled disc of radius r pixels centred on (cx, cy), one scanline at a time. */
  function disc(buf, W, H, cx, cy, r, rgbValues, alpha) {
    var src = premultiplied(rgbValues[0], rgbValues[1], rgbValues[2], alpha);
    var y0 = Math.max(0, Math.ceil(cy - r)), y1 = Math.min(H - 1, Math.floor(cy + r));
    for (var y = y0; y <= y1; y++) {
      var half = Math.sqrt(r * r - (y - cy) * (y - cy));
      var x0 = Math.max(0, Math.ceil(cx - half)), x1 = Math.min(W - 1, Math.floor(cx + half)), p = y * W;
      for (var x = x0; x <= x1; x++) { under(buf, p + x, src); }
    }
  }

  /* ------------------------------------------------------------- density */

  var RAMP = ["#fee8c8", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"];
  var HEAT = [[255, 255, 178], [254, 204, 92], [253, 141, 60], [240, 59, 32], [189, 0, 38]];

  /* Screen hexagons (pointy-top, circumradius R px) anchored to the world's pixels, so a cell stays put
     while panning. Returns a grid: cell index per event (-1: not binned), per-cell count, fatalities,
     unknown fatalities, first event and a chain (next) through the cell's events. */
  function HexGrid(v, R) {
    this.R = R;
    this.r0 = Math.floor((v.oy - 2 * R) / (1.5 * R)) - 1;
    this.nr = Math.ceil((v.h + 4 * R) / (1.5 * R)) + 3;
    this.c0 = Math.floor((v.ox - 2 * R) / (SQRT3 * R)) - 2;
    this.nc = Math.ceil((v.w + 4 * R) / (SQRT3 * R)) + 5;
    var cells = this.nr * this.nc;
    this.count = new Int32Array(cells);
    this.fatal = new Float64Array(cells);
    this.unknown = new Int32Array(cells);
    this.head = new Int32Array(cells).fill(-1);
    this.v = v;
  }

  /* Cell index of world pixel (wx, wy), or -1 outside the grid. */
  HexGrid.prototype.cellOf = function (wx, wy) {
    var R = this.R, q = (SQRT3 / 3 * wx - wy / 3) / R, r = (2 / 3 * wy) / R;
    var x = q, z = r, y = -x - z, rx = Math.round(x), ry = Math.round(y), rz = Math.round(z);
    var ddx = Math.abs(rx - x), ddy = Math.abs(ry - y), ddz = Math.abs(rz - z);
    if (ddx > ddy && ddx > ddz) { rx = -ry - rz; } else if (ddy > ddz) { ry = -rx - rz; } else { rz = -rx - ry; }
    var row = rz - this.r0, col = rx + (rz - (rz & 1)) / 2 - this.c0;
    if (row < 0 || col < 0 || row >= this.nr || col >= this.nc) { return -1; }
    return row * this.nc + col;
  };

  /* Screen centre of cell k. */
  HexGrid.prototype.centre = function (k) {
    var rz = Math.floor(k / this.nc) + this.r0, col = (k % this.nc) + this.c0;
    var q = col - (rz - (rz & 1)) / 2;
    return { x: this.R * SQRT3 * (q + rz / 2) - this.v.ox, y: this.R * 1.5 * rz - this.v.oy };
  };

  function hexPath(ctx, x, y, R) {
    ctx.moveTo(x, y - R);
    for (var k = 1; k < 6; k++) {
      var a = Math.PI / 3 * k - Math.PI / 2;
      ctx.lineTo(x + R * Math.cos(a), y + R * Math.sin(a));
    }
    ctx.closePath();
  }

  /* Shade index (0..RAMP.length-1) of a count, on a log scale up to max. */
  function shadeIndex(count, max) {
    var t = Math.log(1 + count) / Math.log(1 + Math.max(max, 1));
    return Math.min(RAMP.length - 1, Math.floor(t * RAMP.length));
  }

  /* Lower bound of the counts each shade stands for (for the legend). */
  function shadeBreaks(max) {
    var out = [];
    for (var s = 0; s < RAMP.length; s++) {
      out.push(Math.max(1, Math.ceil(Math.exp(s / RAMP.length * Math.log(1 + Math.max(max, 1))) - 1)));
    }
    return out;
  }

  /* A heat surface: events added into a coarse grid, blurred, coloured; drawn scaled up and smoothed. */
  function drawHeat(ctx, v, sx, sy, list, n) {
    var cell = 4, gw = Math.ceil(v.w / cell) + 1, gh = Math.ceil(v.h / cell) + 1;
    var grid = new Float32Array(gw * gh), tmp = new Float32Array(gw * gh), i, k, x, y;
    for (k = 0; k < n; k++) {
      i = list[k];
      x = Math.floor(sx[i] / cell); y = Math.floor(sy[i] / cell);
      if (x >= 0 && y >= 0 && x < gw && y < gh) { grid[y * gw + x] += 1; }
    }
    for (var pass = 0; pass < 3; pass++) { boxBlur(grid, tmp, gw, gh, 2); }  // three box blurs: nearly Gaussian
    var max = 0;
    for (k = 0; k < grid.length; k++) { if (grid[k] > max) { max = grid[k]; } }
    var small = document.createElement("canvas");
    small.width = gw; small.height = gh;
    var sctx = small.getContext("2d"), img = sctx.createImageData(gw, gh), d = img.data, lmax = Math.log(1 + max);
    for (k = 0; k < grid.length; k++) {
      if (grid[k] <= 1e-3) { continue; }
      var t = Math.log(1 + grid[k]) / lmax;
      if (t < 0.04) { continue; }
      /* A continuous ramp between the HEAT colours; faint where few events are. */
      var f = t * (HEAT.length - 1), s = Math.min(HEAT.length - 2, Math.floor(f)), u = f - s;
      d[4 * k] = HEAT[s][0] + (HEAT[s + 1][0] - HEAT[s][0]) * u;
      d[4 * k + 1] = HEAT[s][1] + (HEAT[s + 1][1] - HEAT[s][1]) * u;
      d[4 * k + 2] = HEAT[s][2] + (HEAT[s + 1][2] - HEAT[s][2]) * u;
      d[4 * k + 3] = Math.round(255 * Math.min(0.85, 0.15 + t));
    }
    sctx.putImageData(img, 0, 0);
    ctx.save();
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, gw * cell, gh * cell);
    ctx.restore();
    return max;
  }

  /* Box blur of radius r, horizontal then vertical (in place, tmp as scratch). */
  function boxBlur(a, tmp, w, h, r) {
    var x, y, s, norm = 1 / (2 * r + 1);
    for (y = 0; y < h; y++) {
      s = 0;
      for (x = -r; x <= r; x++) { s += a[y * w + Math.min(w - 1, Math.max(0, x))]; }
      for (x = 0; x < w; x++) {
        tmp[y * w + x] = s * norm;
        s += a[y * w + Math.min(w - 1, x + r + 1)] - a[y * w + Math.max(0, x - r)];
      }
    }
    for (x = 0; x < w; x++) {
      s = 0;
      for (y = -r; y <= r; y++) { s += tmp[Math.min(h - 1, Math.max(0, y)) * w + x]; }
      for (y = 0; y < h; y++) {
        a[y * w + x] = s * norm;
        s += tmp[Math.min(h - 1, y + r + 1) * w + x] - tmp[Math.max(0, y - r) * w + x];
      }
    }
  }

  /* ---------------------------------------------------------------- events */

  var FastPoints = CanvasLayer.extend({
    cssClass: "frontera-fastpoints",
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
      var nVisible = 0, margin = Math.max(this._maxR, 2 * R), k, i, x, y, c;
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

    /* Every event in view as a circle sprite in one pixel buffer; a grid index on screen for clicks. */
    _drawPoints: function (ctx, v, nVisible) {
      var radius = this._radius, group = this._group, sx = this._sx, sy = this._sy, next = this._next;
      var visible = this._visible;
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
      }
      var buf = this._pixels, tag = this._pixTag, run = this._pixRun;
      var drawn = 0, spriteKey = -1, sprite = null, k, i, x, y, r, p, key, cx, cy;
      buf.fill(0);
      tag.fill(-1);
      /* Front to back (the reverse of the draw order), each circle under the ones already there. */
      for (k = nVisible - 1; k >= 0; k--) {
        i = visible[k]; x = sx[i]; y = sy[i]; r = radius[i];
        if (x < -r || y < -r || x > v.w + r || y > v.h + r) { continue; }
        key = group[i] * 512 + r * 2;
        if (key !== spriteKey) { sprite = this._sprite(group[i], r, ratio); spriteKey = key; }
        /* Circles of one look on one pixel: after four copies (99 % opaque) another changes nothing. */
        cx = Math.floor(x * ratio); cy = Math.floor(y * ratio);
        p = cx >= 0 && cy >= 0 && cx < W && cy < H ? cy * W + cx : -1;
        if (p < 0) {
          blit(buf, W, H, sprite, cx, cy);
        } else {
          if (tag[p] !== key) { tag[p] = key; run[p] = 0; }
          if (run[p] < 4) { run[p]++; blit(buf, W, H, sprite, cx, cy); }
        }
        if (x >= 0 && y >= 0 && x < v.w && y < v.h) {
          var c = Math.floor(y / cell) * gw + Math.floor(x / cell);
          next[i] = head[c];
          head[c] = i;
        }
        drawn++;
      }
      this._ringsHidden = 0;
      if (v.zoom >= (this.options.ringMinZoom || 9)) { this._drawRings(v, nVisible); }
      unpremultiply(buf, this._out);
      ctx.putImageData(this._image, 0, 0);
      return drawn;
    },

    /* Dashed rings of uncertainty, written into the pixels under the circles: one per
       place and size (events at one place share it), at most 4,000; tinted inside while their area
       stays under three screens (the tint costs a pixel write per pixel covered). */
    _drawRings: function (v, nVisible) {
      var ringKm = this._ringKm, lat = this._lat, sx = this._sx, sy = this._sy, group = this._group;
      var visible = this._visible, place = this._cols.place, seen = this._ringSeen, rings = [], area = 0, perimeter = 0, p, q;
      var W = v.pw, H = v.ph, ratio = v.ratio, buf = this._pixels, colours = this._palette.map(rgb), k, i;
      seen.fill(0);
      for (k = 0; k < nVisible && rings.length < 4000; k++) {
        i = visible[k];
        if (!(ringKm[i] > 0)) { continue; }
        p = place ? place[i] : 0;
        q = Math.round(ringKm[i] * 10) + 1;
        if (seen[p] === q) { continue; }  // one ring per place and size (events there mostly share it)
        seen[p] = q;
        var metresPerPx = 40075016.686 * Math.cos(lat[i] * Math.PI / 180) / v.scale;
        var r = ringKm[i] * 1000 / metresPerPx * ratio;
        rings.push([sx[i] * ratio, sy[i] * ratio, r, colours[group[i] >> 1]]);
        area += Math.PI * r * r;
        perimeter += TAU * r;
      }
      /* Past a few screens' worth of outlines, rings are a grey mesh that says nothing and costs much. */
      if (perimeter > 500 * (W + H)) { this._ringsHidden = rings.length; return 0; }
      this._ringsHidden = 0;
      if (area <= 3 * W * H) {
        rings.forEach(function (g) { disc(buf, W, H, g[0], g[1], g[2], g[3], 13); });
      }
      rings.forEach(function (g) { dashedRing(buf, W, H, g[0], g[1], g[2], g[3], 115); });
      return rings.length;
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
    _hits: function (p, limit) {
      if (this._mode !== "points") {
        var c = this._grid.cellOf(p.x + this._view.ox, p.y + this._view.oy);
        return c >= 0 && this._grid.count[c] > 0 ? [-1 - c] : [];
      }
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

    _showPopup: function (at, content) {
      if (!this._popup) { this._popup = L.popup({ maxWidth: 360, className: "fr-leaflet-popup" }); }
      this._popup.setLatLng(at).setContent(content);
      if (!this._map.hasLayer(this._popup)) { this._popup.openOn(this._map); } else { this._popup.update(); }
    },

    _openPopup: function (hits, k, latlng) {
      if (hits[0] < 0) { this._showPopup(latlng, this.cellPopup(-1 - hits[0])); return; }
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
      this._showPopup(at, box);
      /* Tell the page which record this is, the way a folium feature's tooltip does: streamlit-folium
         reads the clicked layer's tooltip ("ID: title"), escaped here because it parses it as HTML. */
      var label = esc(text(this._cols.id, i) + ": " + text(this._cols.title, i));
      this.fire("click", { latlng: at, sourceTarget: {
        getTooltip: function () { return { getContent: function () { return label; } }; },
        _tooltip: { _content: label } } });
    },

    /* What a density cell stands for: {count, fatalities, unknown, ids, first, last, kinds}. */
    cellSummary: function (c) {
      var grid = this._grid, c2 = this._cols, h = this._header, kinds = {}, ids = [], first = Infinity, last = -Infinity;
      for (var i = grid.head[c]; i >= 0; i = this._next[i]) {
        ids.push(text(c2.id, i));
        var kind = text(c2.kind, i);
        kinds[kind] = (kinds[kind] || 0) + 1;
        if (c2.start[i] !== h.noDay) { first = Math.min(first, c2.start[i]); last = Math.max(last, c2.start[i]); }
      }
      return { count: grid.count[c], fatalities: grid.fatal[c], unknown: grid.unknown[c], ids: ids, kinds: kinds,
               first: first === Infinity ? "" : isoDay(first, h.noDay), last: last === -Infinity ? "" : isoDay(last, h.noDay) };
    },

    /* The popup of a density cell, built with textContent (no HTML from data). */
    cellPopup: function (c) {
      var s = this.cellSummary(c), box = el("div", "fr-popup fr-cell-popup");
      box.appendChild(el("h4", "", thousands(s.count) + " " + (s.count === 1 ? "event" : "events") + " in this cell"));
      var table = el("table"), rows = [["Fatalities", thousands(s.fatalities) +
        (s.unknown ? " (not reported for " + thousands(s.unknown) + ")" : "")]];
      if (s.first) { rows.push(["Dates", s.first === s.last ? s.first : s.first + " – " + s.last]); }
      Object.keys(s.kinds).sort(function (a, b) { return s.kinds[b] - s.kinds[a]; }).slice(0, 5).forEach(function (k) {
        rows.push([k || "(no kind)", thousands(s.kinds[k])]);
      });
      addRows(table, rows);
      box.appendChild(table);
      box.appendChild(el("p", "fr-meta", "Zoom in or narrow the dates to see the events one by one."));
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
      this._reset();
    },

    /* Choose points, hexagons, heat or auto (redraws). */
    setDensity: function (mode) {
      if (MODES.indexOf(mode) < 0) { throw new Error("density " + JSON.stringify(mode) + " is not one of " + MODES.join(", ")); }
      this._chosen = mode;
      this._reset();
      return this;
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
      var name = this.options.name || "events", title = name.charAt(0).toUpperCase() + name.slice(1);
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
      var what = mode === "points" ? thousands(this._inView) + " in view, one circle each"
        : mode === "hexagons" ? thousands(this._inView) + " in view, shown as density: events per hexagon"
          : thousands(this._inView) + " in view, shown as a heat surface (density of events)";
      div.appendChild(el("div", "fr-note-what", title + ": " + what));
      if (mode === "points" && this._ringsHidden) {
        div.appendChild(el("div", "fr-note-hint", "Rings of place uncertainty hidden: too many overlap here; zoom in to see them."));
      }
      if (mode === "hexagons") {
        div.appendChild(el("div", "fr-note-fatal", "Fatalities in these cells: " + thousands(fatal) +
          (unknown ? " (not reported for " + thousands(unknown) + " events)" : "") + "; click a cell for its own."));
      }
      if (mode !== "points") {
        div.appendChild(this._rampLegend(mode));
        div.appendChild(el("div", "fr-note-hint", chosen === "auto"
          ? "Too many overlap to show one by one: zoom in or narrow the dates to see single events."
          : "Zoom in or narrow the dates to see fewer events; choose points to see each one."));
      }
      var buttons = el("div", "fr-note-modes");
      MODES.forEach(function (m) {
        var b = el("button", m === chosen ? "fr-on" : "", m);
        b.type = "button";
        b.setAttribute("data-density", m);
        b.addEventListener("click", function () { self.setDensity(m); });
        buttons.appendChild(b);
      });
      div.appendChild(buttons);
    },

    _rampLegend: function (mode) {
      var row = el("div", "fr-note-ramp"), max = this._max || 1;
      if (mode === "heat") {
        HEAT.forEach(function (c) {
          var sw = el("span", "fr-sw");
          sw.style.background = "rgb(" + c.join(",") + ")";
          row.appendChild(sw);
        });
        row.appendChild(el("span", "fr-ramp-text", "fewer → more events"));
        return row;
      }
      var breaks = shadeBreaks(max);
      RAMP.forEach(function (c, s) {
        var sw = el("span", "fr-sw");
        sw.style.background = c;
        row.appendChild(sw);
        row.appendChild(el("span", "fr-ramp-text", (s === RAMP.length - 1 ? "≥ " : "") + short(breaks[s])));
      });
      row.appendChild(el("span", "fr-ramp-text", " (max " + thousands(max) + ")"));
      return row;
    }
  });

  /* ------------------------------------------------- hexagons from the server */

  /* H3 cells summed by the server (selections too large to send whole). */
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
      var c = this._cols, i = hits[0], box = el("div", "fr-popup"), table = el("table");
      box.appendChild(el("h4", "", thousands(c.count[i]) + " events"));
      var rows = [["Fatalities", thousands(c.fatalities[i]) +
                   (c.unknown[i] ? " (not reported for " + thousands(c.unknown[i]) + " events)" : "")],
                  ["Area", "H3 cell " + text(c.cell, i) + " (resolution " + this._header.res + ")"]];
      addRows(table, rows);
      box.appendChild(table);
      if (this.options.note) { box.appendChild(el("p", "fr-meta", this.options.note)); }
      L.popup({ maxWidth: 360, className: "fr-leaflet-popup" }).setLatLng(latlng).setContent(box).openOn(this._map);
    }
  });

  L.FronteraFastPoints = FastPoints;
  L.FronteraHexagons = Hexagons;
  L.fronteraFastPoints = function (header, b64, options) { return new FastPoints(header, b64, options); };
  L.fronteraHexagons = function (header, b64, options) { return new Hexagons(header, b64, options); };
  L.fronteraEscape = esc;
})();
