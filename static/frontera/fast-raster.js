/* Frontera's fast renderer, drawing primitives: circle sprites blended into one pixel buffer, rings of
 * uncertainty, screen hexagons (the density grid) and the heat surface. No Leaflet layer here.
 *
 * Events are rasterised, not stroked: each circle is a precomputed sprite (the pixels of one radius and
 * colour, drawn once with the canvas API) copied into one pixel buffer with alpha blending, then one
 * putImageData per frame. Filling one canvas path with N overlapping arcs costs far more than N times
 * one arc; copying sprites costs N times one sprite.
 */
(function () {
  "use strict";
  var L = window.L;
  if (!L || !L.FronteraFast || !L.FronteraFast.util || L.FronteraFast.raster) { return; }
  var F = L.FronteraFast, U = F.util, TAU = U.TAU, hexToRgba = U.hexToRgba;
  var SQRT3 = Math.sqrt(3);

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

  /* blit, only the pixels in dirty tiles (a Tiles): what a frame after a pan draws again. */
  function blitTiles(acc, W, H, s, cx, cy, tiles) {
    var dx = s.dx, dy = s.dy, col = s.col, n = s.n, half = s.half, mark = tiles.mark, tw = tiles.tw;
    if (!tiles.any(cx - half, cy - half, cx + half, cy + half)) { return; }
    for (var k = 0; k < n; k++) {
      var x = cx + dx[k], y = cy + dy[k];
      if (x < 0 || y < 0 || x >= W || y >= H || !mark[(y >> 4) * tw + (x >> 4)]) { continue; }
      var p = y * W + x, dst = acc[p], da = dst >>> 24;
      if (da === 255) { continue; }
      if (da === 0) { acc[p] = col[k]; continue; }
      acc[p] = dst + scaled(col[k], 255 - da);
    }
  }

  /* The frame cut in tiles of 16 x 16 pixels, some marked dirty (to draw again). */
  function Tiles(W, H) {
    this.W = W; this.H = H;
    this.tw = Math.ceil(W / 16); this.th = Math.ceil(H / 16);
    this.mark = new Uint8Array(this.tw * this.th);
    this.count = 0;
  }
  /* Mark the tiles under pixels [x0, x1) x [y0, y1). */
  Tiles.prototype.rect = function (x0, y0, x1, y1) {
    x0 = Math.max(0, Math.floor(x0)); y0 = Math.max(0, Math.floor(y0));
    x1 = Math.min(this.W, Math.ceil(x1)); y1 = Math.min(this.H, Math.ceil(y1));
    for (var ty = y0 >> 4; y0 < y1 && ty <= (y1 - 1) >> 4; ty++) {
      for (var tx = x0 >> 4; x0 < x1 && tx <= (x1 - 1) >> 4; tx++) {
        var k = ty * this.tw + tx;
        if (!this.mark[k]) { this.mark[k] = 1; this.count++; }
      }
    }
  };
  /* Mark the tiles a ring's pixels fall in (every pixel dashedRing may write), or its whole box if filled. */
  Tiles.prototype.ring = function (cx, cy, r, filled) {
    if (filled) { this.rect(cx - r - 1, cy - r - 1, cx + r + 2, cy + r + 2); return; }
    var steps = Math.ceil(TAU * r), d = TAU / steps, cd = Math.cos(d), sd = Math.sin(d), c = 1, s = 0, t;
    for (var j = 0; j < steps; j++) {
      var x = Math.round(cx + r * c), y = Math.round(cy + r * s);
      if (x >= 0 && y >= 0 && x < this.W && y < this.H) { this.rect(x, y, x + 1, y + 1); }
      t = c * cd - s * sd; s = s * cd + c * sd; c = t;
    }
  };
  /* Whether any tile under pixels [x0, x1] x [y0, y1] (inclusive) is marked. */
  Tiles.prototype.any = function (x0, y0, x1, y1) {
    var tx0 = Math.max(0, x0 >> 4), ty0 = Math.max(0, y0 >> 4);
    var tx1 = Math.min(this.tw - 1, x1 >> 4), ty1 = Math.min(this.th - 1, y1 >> 4);
    for (var ty = ty0; ty <= ty1; ty++) {
      for (var tx = tx0; tx <= tx1; tx++) { if (this.mark[ty * this.tw + tx]) { return true; } }
    }
    return false;
  };
  /* Each row of pixels of the marked tiles, as a run: fn(from, to) over buffer indexes [from, to). */
  Tiles.prototype.runs = function (fn) {
    var W = this.W;
    for (var ty = 0; ty < this.th; ty++) {
      for (var tx = 0; tx < this.tw; tx++) {
        if (!this.mark[ty * this.tw + tx]) { continue; }
        var tx0 = tx;
        while (tx + 1 < this.tw && this.mark[ty * this.tw + tx + 1]) { tx++; }
        var x0 = tx0 * 16, x1 = Math.min(W, (tx + 1) * 16);
        for (var y = ty * 16; y < Math.min(this.H, ty * 16 + 16); y++) { fn(y * W + x0, y * W + x1); }
      }
    }
  };

  /* Move the pixels of a buffer (W x H) so that new pixel (x, y) is old pixel (x + dx, y + dy), as after a
     pan of (dx, dy) device pixels. Returns the strips no old pixel covers (left as they were), as
     rectangles [x0, y0, x1, y1) that do not overlap. */
  function shiftPixels(a, W, H, dx, dy) {
    var len = W - Math.abs(dx), from = Math.max(0, dx), to = Math.max(0, -dx), rects = [];
    var ys = dy > 0 ? 0 : H - 1, ye = dy > 0 ? H - dy - 1 : -dy, step = dy > 0 ? 1 : -1;  // rows written
    for (var y = ys; y !== ye + step; y += step) {
      a.copyWithin(y * W + to, (y + dy) * W + from, (y + dy) * W + from + len);
    }
    if (dx !== 0) { rects.push(dx > 0 ? [W - dx, 0, W, H] : [0, 0, -dx, H]); }
    var rx0 = dx < 0 ? -dx : 0, rx1 = dx > 0 ? W - dx : W;
    if (dy !== 0) { rects.push(dy > 0 ? [rx0, H - dy, rx1, H] : [rx0, 0, rx1, -dy]); }
    return rects;
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
  function unpremultiply(acc, out, from, to) {
    for (var p = from || 0, n = to === undefined ? acc.length : to; p < n; p++) {
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

  /* A dashed circle outline (4 px on, 4 px off) of radius r pixels centred on (cx, cy); only in the dirty
     tiles of `tiles` (a Tiles) when given. */
  function dashedRing(buf, W, H, cx, cy, r, rgbValues, alpha, tiles) {
    var src = premultiplied(rgbValues[0], rgbValues[1], rgbValues[2], alpha);
    var steps = Math.ceil(TAU * r), d = TAU / steps, cd = Math.cos(d), sd = Math.sin(d), c = 1, s = 0, t;
    if (cx + r < -1 || cy + r < -1 || cx - r >= W + 1 || cy - r >= H + 1) { return; }
    if (tiles && !tiles.any(Math.floor(cx - r) - 1, Math.floor(cy - r) - 1, Math.ceil(cx + r) + 1, Math.ceil(cy + r) + 1)) { return; }
    var mark = tiles ? tiles.mark : null, tw = tiles ? tiles.tw : 0;
    for (var j = 0; j < steps; j++) {
      if (!((j >> 2) & 1)) {
        var x = Math.round(cx + r * c), y = Math.round(cy + r * s);
        if (x >= 0 && y >= 0 && x < W && y < H && (!mark || mark[(y >> 4) * tw + (x >> 4)])) { under(buf, y * W + x, src); }
      }
      t = c * cd - s * sd; s = s * cd + c * sd; c = t;  // rotate by d
    }
  }

  /* A filled disc of radius r pixels centred on (cx, cy), one scanline at a time (in dirty tiles, if given). */
  function disc(buf, W, H, cx, cy, r, rgbValues, alpha, tiles) {
    var src = premultiplied(rgbValues[0], rgbValues[1], rgbValues[2], alpha);
    var mark = tiles ? tiles.mark : null, tw = tiles ? tiles.tw : 0;
    var y0 = Math.max(0, Math.ceil(cy - r)), y1 = Math.min(H - 1, Math.floor(cy + r));
    for (var y = y0; y <= y1; y++) {
      var half = Math.sqrt(r * r - (y - cy) * (y - cy));
      var x0 = Math.max(0, Math.ceil(cx - half)), x1 = Math.min(W - 1, Math.floor(cx + half)), p = y * W;
      if (tiles && !tiles.any(x0, y, x1, y)) { continue; }
      for (var x = x0; x <= x1; x++) { if (!mark || mark[(y >> 4) * tw + (x >> 4)]) { under(buf, p + x, src); } }
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

  F.raster = {
    makeSprite: makeSprite, blit: blit, blitTiles: blitTiles, Tiles: Tiles, shiftPixels: shiftPixels, unpremultiply: unpremultiply, dashedRing: dashedRing, disc: disc,
    RAMP: RAMP, HEAT: HEAT, HexGrid: HexGrid, hexPath: hexPath, shadeIndex: shadeIndex, shadeBreaks: shadeBreaks,
    drawHeat: drawHeat
  };
})();
