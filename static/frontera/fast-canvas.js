/* Frontera's fast renderer, the canvas base: a Leaflet layer that owns one canvas in its own pane, decodes
 * its payload, keeps the canvas on the map's view and redraws it after every move and zoom.
 *
 * A subclass sets payloadKind ("events" or "cells", a key of L.FronteraFast.schema) and implements
 * _prepare(columns), _draw(ctx, view) -> number drawn, _hits(point, limit) and _openPopup(hits, k, latlng).
 * A payload whose header does not match the schema is refused: a console error, the canvas gets
 * data-error (the reason) and nothing is drawn.
 *
 * The canvas carries the subclass's cssClass and, after each draw, data-drawn, data-zoom and data-mode;
 * window.__fronteraDraws logs each draw and (f) when its frame was presented, for the benchmarks.
 */
(function () {
  "use strict";
  var L = window.L;
  if (!L || !L.FronteraFast || !L.FronteraFast.util || L.FronteraFast.CanvasLayer) { return; }
  var F = L.FronteraFast, U = F.util;

  /* What both layers share: a canvas in its own pane, kept on the map's view. */
  var CanvasLayer = L.Layer.extend({
    cssClass: "frontera-canvas",

    payloadKind: "",

    initialize: function (header, b64, options) {
      L.setOptions(this, options);
      this._header = header;
      this._b64 = b64;
      this._ready = false;
      this._refused = U.schemaProblem(header, this.payloadKind);
      if (this._refused) {
        console.error("Frontera: " + (this.options.name || "a layer") + " not drawn: " + this._refused);
        this.loaded = Promise.resolve();
        return;
      }
      var self = this, t0 = performance.now();
      this.loaded = U.unpack(header, b64).then(function (buffer) {
        var t1 = performance.now();
        self._b64 = null;
        self._prepare(U.readColumns(header, buffer));
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
      if (this._refused) { canvas.setAttribute("data-error", this._refused); }
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

  F.CanvasLayer = CanvasLayer;
})();
