/* Frontera: the map in use (panes, picking, popups that fit, attribution, labels).
 *
 * L.fronteraMapUse(map, {panes: [[name, zIndex, passive], ...], text, thousands, scale, dateLocale}):
 *  - L.fronteraDay("2024-07-23") writes a day as the session's language does ("23 jul 2024");
 *  - creates the panes the layers are put in (frontera/layers/panes.py), and the scale
 *    (km; miles too for English readers);
 *  - a click picks the record features near it itself, by pixel distance, before Leaflet
 *    does: the closest of the highest kind (events, then flows, places, operations) opens
 *    its popup, and the others at the same spot are listed under "Also here", each one
 *    opening its own popup. The pick is fired as the feature's own click, so
 *    streamlit-folium reports it (its tooltip) and the details under the map follow. Events drawn
 *    on a canvas (frontera/layers/fast, points mode) are candidates too, through the layer's
 *    pickAt/openEvent; where only one canvas's events are, its own click pages through them;
 *  - popups get a maximum width and height from the map's size, their own scroll, and pan
 *    clear of the map's controls; the legend folds when a popup opens;
 *  - attribution links open outside the map's frame;
 *  - place and operation labels that would overlap are hidden, higher ones first;
 *  - an operation area is filled only while hovered or selected (CSS: fr-selected).
 * Text from data is only ever set with textContent here.
 */
(function () {
  if (!window.L) { return; }

  /* [class in className, rank (lower wins), kind shown in the list]. The ranks follow the panes'
   * stacking (frontera/layers/panes.py), so a click picks what the hover names. */
  var KINDS = [
    ["frontera-event", 0, "Event"],
    ["frontera-operation-point", 1, "Operation"],
    ["frontera-crossing", 2, "Crossing"],
    ["frontera-place", 2, "Place"],
    ["frontera-arrowhead", 3, "Flow"],
    ["frontera-flow", 3, "Flow"],
    ["frontera-operation-badge", 4, "Operation"],
    ["frontera-operation", 5, "Operation area"]
  ];
  var EVENT_KINDS = [["frontera-clash", "Clash"], ["frontera-incident", "Incident"]];
  var MAX_LISTED = 8;
  /* The page's language: the map's Python side passes each text translated (options.text, by its English). */
  var TEXT = {};
  function say(text, n) {
    var out = Object.prototype.hasOwnProperty.call(TEXT, text) ? String(TEXT[text]) : text;
    return n === undefined ? out : out.split("{n}").join(String(n));
  }

  function classOf(layer) {
    var o = layer.options || {};
    return String((o.icon && o.icon.options && o.icon.options.className) || o.className || "");
  }

  function hasClass(cls, name) {
    return (" " + cls + " ").indexOf(" " + name + " ") >= 0;
  }

  function kindOf(layer) {
    var cls = classOf(layer);
    for (var i = 0; i < KINDS.length; i++) {
      if (hasClass(cls, KINDS[i][0])) {
        var label = KINDS[i][2];
        for (var j = 0; j < EVENT_KINDS.length; j++) {
          if (hasClass(cls, EVENT_KINDS[j][0])) { label = EVENT_KINDS[j][1]; }
        }
        return { rank: KINDS[i][1], label: say(label) };
      }
    }
    return null;
  }

  function plainText(html) {
    if (typeof html !== "string") { return html && html.textContent ? html.textContent : ""; }
    /* An inert document: nothing in it runs or loads. */
    return new DOMParser().parseFromString(html, "text/html").body.textContent.trim();
  }

  function tipText(layer) {
    var tip = layer.getTooltip && layer.getTooltip();
    return tip ? plainText(tip.getContent()) : "";
  }

  /* The popup content the layer was given (an HTML string, or a node), kept before "Also here" is added. */
  function popupHtml(layer) {
    if (layer._frHtml === undefined) { layer._frHtml = layer.getPopup().getContent(); }
    return layer._frHtml;
  }

  /* Features with the same popup are one record (a flow's line and its arrowhead; an area and its label). */
  function popupKey(layer) {
    var c = popupHtml(layer);
    return typeof c === "string" ? c : (c && c.outerHTML) || "layer-" + L.stamp(layer);
  }

  function rectDistance(p, r) {
    var dx = Math.max(r.left - p.x, 0, p.x - r.right), dy = Math.max(r.top - p.y, 0, p.y - r.bottom);
    return Math.sqrt(dx * dx + dy * dy);
  }

  /* [distance to the drawn edge, distance to the middle] in px from container point ``p``,
   * or null if the layer is not drawn: the first decides what is near, the second which is nearest. */
  function distance(map, layer, p) {
    if (layer instanceof L.Marker) {
      var icon = layer._icon;
      if (!icon) { return null; }
      var shape = icon.firstElementChild || icon;
      if (shape.style.visibility === "hidden" || icon.style.visibility === "hidden") { return null; }
      var box = map.getContainer().getBoundingClientRect(), r = shape.getBoundingClientRect();
      var rel = { left: r.left - box.left, right: r.right - box.left, top: r.top - box.top, bottom: r.bottom - box.top };
      var mid = L.point((rel.left + rel.right) / 2, (rel.top + rel.bottom) / 2);
      return [rectDistance(p, rel), mid.distanceTo(p)];
    }
    if (layer instanceof L.CircleMarker) {
      var centre = map.latLngToContainerPoint(layer.getLatLng()).distanceTo(p);
      return [Math.max(0, centre - layer._radius), centre];
    }
    if (layer instanceof L.Polyline && layer._parts) {
      var lp = map.containerPointToLayerPoint(p), closed = layer instanceof L.Polygon;
      var best = Infinity, half = (layer.options.weight || 0) / 2;
      for (var i = 0; i < layer._parts.length; i++) {
        var part = layer._parts[i];
        for (var k = closed ? 0 : 1; k < part.length; k++) {
          best = Math.min(best, L.LineUtil.pointToSegmentDistance(lp, part[k === 0 ? part.length - 1 : k - 1], part[k]));
        }
      }
      /* Inside an area: near it, but only "inside" (listed when nothing else is at the spot). */
      if (closed && layer._containsPoint(lp)) { return [0, best, best - half > 6]; }
      return [Math.max(0, best - half), best];
    }
    return null;
  }

  /* What is right under the cursor first, then the higher kind, then the nearer. */
  function better(a, b) {
    return (b.direct - a.direct) || (a.rank - b.rank) || (a.d - b.d);
  }

  /* The record features within ``tol`` px of ``p``, best first, one per popup. */
  function candidates(map, p, tol) {
    var found = {}, out = [];
    map.eachLayer(function (layer) {
      if (!layer.getPopup || !layer.getPopup() || (layer.options && layer.options.interactive === false)) { return; }
      var kind = kindOf(layer);
      if (!kind) { return; }
      var d = distance(map, layer, p);
      if (d === null || d[0] > tol) { return; }
      var key = popupKey(layer), seen = found[key];
      var hit = { layer: layer, d: d[1], rank: kind.rank, label: kind.label, inside: !!d[2], direct: d[0] === 0 };
      if (hit.inside && layer._path && layer._path.parentNode) {
        /* Overlapping areas: the one drawn on top (the smallest, frontera/layers/operations.py) is the one
         * meant, and the one the hover names. */
        hit.d = 1e6 - Array.prototype.indexOf.call(layer._path.parentNode.childNodes, layer._path);
      }
      if (seen === undefined) { found[key] = out.length; out.push(hit); }
      else if (better(hit, out[seen]) < 0) { out[seen] = hit; }
    });
    canvasHits(map, p, tol).forEach(function (hit) { out.push(hit); });
    out.sort(better);
    return out;
  }

  /* Events drawn on a canvas (frontera/layers/fast: L.FronteraFastPoints, points mode) within ``tol`` px of
   * ``p``, as candidates: their own popup opens through the layer (open), their label is "id: title". */
  function canvasHits(map, p, tol) {
    var out = [];
    map.eachLayer(function (layer) {
      if (typeof layer.pickAt !== "function") { return; }
      var label = layer.options.name === "incidents" ? "Incident" : "Clash";
      layer.pickAt(p, tol).forEach(function (h) {
        out.push({ canvas: layer, index: h.i, key: "canvas-" + L.stamp(layer) + "-" + h.i, d: h.d, rank: 0,
                   label: label, inside: false, direct: h.edge === 0, tip: layer.eventLabel(h.i) });
      });
    });
    return out;
  }

  function alsoHere(map, others, latlng) {
    var box = L.DomUtil.create("div", "fr-also");
    var head = L.DomUtil.create("p", "fr-h", box);
    head.textContent = say("Also here ({n})", others.length);
    var list = L.DomUtil.create("ul", "fr-also-list", box);
    others.slice(0, MAX_LISTED).forEach(function (hit, i) {
      var button = L.DomUtil.create("button", "fr-also-pick", L.DomUtil.create("li", "", list));
      button.type = "button";
      button.textContent = hit.label + " · " + ((hit.canvas ? hit.tip : tipText(hit.layer)) || say("(no name)"));
      L.DomEvent.on(button, "click", function (ev) {
        L.DomEvent.stop(ev);
        var rest = others.slice(0, i).concat(others.slice(i + 1));
        choose(map, hit, rest.concat([others.current]).filter(Boolean), latlng);
      });
    });
    if (others.length > MAX_LISTED) {
      L.DomUtil.create("p", "fr-sid", box).textContent = say("{n} more: zoom in to separate them.", others.length - MAX_LISTED);
    }
    return box;
  }

  /* Open ``hit``'s popup (with the others listed) as its own click, so streamlit-folium sees it. */
  function choose(map, hit, others, latlng) {
    if (hit.canvas) {
      others = others.filter(function (o) { return o.key !== hit.key; });
      others.current = hit;
      hit.canvas.openEvent(hit.index, others.length ? alsoHere(map, others, latlng) : null);
      return;
    }
    var layer = hit.layer, popup = layer.getPopup();
    others = others.filter(function (o) { return o.layer !== layer; });
    others.current = hit;
    if (others.length) {
      var box = L.DomUtil.create("div", "fr-picked");
      var own = popupHtml(layer), body = L.DomUtil.create("div", "", box);
      /* Our own popup HTML, built from escaped values in frontera.popups (Leaflet sets it the same way). */
      if (typeof own === "string") { body.innerHTML = own; } else if (own && own.cloneNode) { body.appendChild(own.cloneNode(true)); }
      box.appendChild(alsoHere(map, others, latlng));
      popup.setContent(box);
    } else {
      popup.setContent(popupHtml(layer));
    }
    var at = (layer instanceof L.CircleMarker || layer instanceof L.Marker) ? layer.getLatLng() : latlng;
    if (map.hasLayer(popup) && popup._source === layer) { map.closePopup(popup); }
    layer.fire("click", { latlng: at, layerPoint: map.latLngToLayerPoint(at),
                          containerPoint: map.latLngToContainerPoint(at) });
  }

  function onClick(map, tol, e) {
    var t = e.target;
    if (!t || !t.closest || t.closest(".leaflet-control-container, .leaflet-popup-pane")) { return; }
    if (map.dragging && map.dragging.moved()) { return; }
    var p = map.mouseEventToContainerPoint(e), hits = candidates(map, p, tol);
    var near = hits.filter(function (h) { return !h.inside; });
    if (near.length) { hits = near; }      /* an event in an operation area: the event and its neighbours */
    if (!hits.length) { return; }          /* empty map: Leaflet's own handling (closes popups) */
    /* Only events of one canvas layer here: that layer's own click pages through them ("1 of N"). */
    if (hits.every(function (h) { return h.canvas && h.canvas === hits[0].canvas; })) { return; }
    e.stopPropagation();
    e.preventDefault();
    choose(map, hits[0], hits.slice(1), map.containerPointToLatLng(p));
  }

  /* A hover over a spot that several records share says so (the click lists them). */
  function hintSharedSpot(map, tol, tooltip, point) {
    var src = tooltip._source;
    if (tooltip.options.permanent || !src || !kindOf(src) || !point || !tooltip._contentNode) { return; }
    var hits = candidates(map, point, tol).filter(function (h) { return !h.inside; });
    var more = tooltip._contentNode.querySelector(".fr-tip-more");
    if (hits.length < 2) { if (more) { L.DomUtil.remove(more); } return; }
    more = more || L.DomUtil.create("span", "fr-tip-more", tooltip._contentNode);
    more.textContent = say(" · {n} more here: click to list them", hits.length - 1);
  }

  /* Leaflet centres a hover text on the cursor: a tall wrapped one near the top or bottom edge was
     cut off. Place it again for its current size (the hint above may have grown it), then move it
     up or down into the map, below its controls (as popups); it stays beside the cursor, so it never
     covers what is hovered. */
  function fitTip(map, tooltip) {
    var c = tooltip && tooltip._container;
    if (!c || tooltip.options.permanent || !tooltip._map || !tooltip._latlng) { return; }
    tooltip._updatePosition();
    var pos = L.DomUtil.getPosition(c), top = map.layerPointToContainerPoint(pos).y;
    var dy = Math.max(0, topOfFreeArea(map) - top) - Math.max(0, top + c.offsetHeight - (map.getSize().y - 4));
    if (dy) { L.DomUtil.setPosition(c, pos.add([0, dy])); }
  }

  function topOfFreeArea(map) {
    var corners = map._controlCorners || {}, h = 0;
    ["topleft", "topright"].forEach(function (k) { if (corners[k]) { h = Math.max(h, corners[k].offsetHeight); } });
    return h + 6;
  }

  function fitPopup(map, popup) {
    var size = map.getSize(), top = topOfFreeArea(map), pad = 8;
    var legend = map.getContainer().querySelector(".frontera-legend details[open]");
    if (legend) { legend.open = false; top = topOfFreeArea(map); }
    popup.options.maxWidth = Math.max(160, Math.min(360, size.x - 2 * pad - 40));
    popup.options.minWidth = Math.min(popup.options.minWidth || 50, popup.options.maxWidth);
    /* 52 px: the popup's tip, its padding and close button, and the bottom margin. */
    popup.options.maxHeight = Math.max(90, size.y - top - 52);
    popup.options.autoPan = true;
    popup.options.autoPanPaddingTopLeft = L.point(pad, top);
    popup.options.autoPanPaddingBottomRight = L.point(pad, 8);
  }

  function selectArea(popup, on) {
    var src = popup && popup._source;
    if (src && src._path && hasClass(classOf(src), "frontera-operation")) {
      L.DomUtil[on ? "addClass" : "removeClass"](src._path, "fr-selected");
    }
  }

  function openLinksOutside(map) {
    var control = map.attributionControl;
    if (!control) { return; }
    control.setPrefix('<a href="https://leafletjs.com" target="_blank" rel="noopener noreferrer">Leaflet</a>');
    var el = control.getContainer();
    var fix = function () {
      var links = el.querySelectorAll("a");
      for (var i = 0; i < links.length; i++) {
        if (links[i].target !== "_blank") { links[i].target = "_blank"; }
        if (links[i].rel !== "noopener noreferrer") { links[i].rel = "noopener noreferrer"; }
      }
    };
    fix();
    if (window.MutationObserver) { new MutationObserver(fix).observe(el, { childList: true, subtree: true }); }
  }

  /* On a narrow map (a phone), the opening view one zoom step out, the western town's dot placed so that its
     label (written left of it, about 190 px at the phone's font) and the eastern one's both fit. */
  function narrowHome(map, narrow) {
    var width = map.getSize().x;
    if (!width || width >= narrow.below) { return; }
    var z = narrow.zoom, west = map.project(narrow.west, z), east = map.project(narrow.east, z);
    var span = 190 + (east.x - west.x) + 60;
    var left = Math.max(0, (width - span) / 2) + 190;
    map.setView(map.unproject(L.point(west.x + width / 2 - left, (west.y + east.y) / 2), z), z, { animate: false });
  }

  /* Hide labels that overlap one already shown: place names first, then operation badges. */
  /* Screen points (client coordinates) of the flow lines: a place's label must not hide them. */
  /* From the lines' coordinates, not Leaflet's clipped screen parts, which follow the renderer's last update. */
  function flowPoints(map) {
    var pts = [], box = map.getContainer().getBoundingClientRect();
    var add = function (ll) {
      if (L.Util.isArray(ll)) { ll.forEach(add); return; }
      var q = map.latLngToContainerPoint(ll);
      pts.push([q.x + box.left, q.y + box.top]);
    };
    map.eachLayer(function (l) {
      if (!(l instanceof L.Polyline) || l instanceof L.Polygon || !hasClass(classOf(l), "frontera-flow")) { return; }
      add(l.getLatLngs());
    });
    return pts;
  }

  function covers(r, pts) {
    return pts.filter(function (q) { return q[0] >= r.left && q[0] <= r.right && q[1] >= r.top && q[1] <= r.bottom; }).length;
  }

  /* A place's label goes right of its dot, or left when that hides fewer flow points; a side where the label
     would run past the map's edge counts as worse than any (on a phone one side is often cut). */
  function sideOfLabels(map) {
    var pts = flowPoints(map), box = map.getContainer().getBoundingClientRect();
    map.eachLayer(function (l) {
      var tip = l.getTooltip && l.getTooltip();
      if (!tip || !tip.options.permanent || !tip._container || !hasClass(tip.options.className || "", "frontera-label-key")) { return; }
      var side = function (direction) {
        tip.options.direction = direction;
        tip.options.offset = L.point(direction === "left" ? -6 : 6, 0);
        tip.update();
        var r = tip._container.getBoundingClientRect();
        return covers(r, pts) + (r.left < box.left || r.right > box.right ? 1e6 : 0);
      };
      var right = side("right");
      if (right && side("left") >= right) { side("right"); }
    });
  }

  function declutter(map) {
    var c = map.getContainer();
    if (!c) { return; }
    sideOfLabels(map);
    var els = [].slice.call(c.querySelectorAll(".leaflet-tooltip.frontera-label-key"))
      .concat([].slice.call(c.querySelectorAll(".frontera-operation-badge > span")));
    var placed = [];
    els.forEach(function (el) {
      el.style.visibility = "";
      var r = el.getBoundingClientRect();
      var clash = placed.some(function (b) {
        return r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top;
      });
      if (clash) { el.style.visibility = "hidden"; } else { placed.push(r); }
    });
    var zoom = map.getZoom();
    c.setAttribute("data-fr-zoom", zoom);
    L.DomUtil[zoom <= 9 ? "addClass" : "removeClass"](c, "fr-regional");
  }


  /* ---- The legend of what the feature groups draw: [[title, [[swatch, colour, size, label], ...]], ...] ---- */
  function swatch(kind, colour, size) {
    var sw = L.DomUtil.create("span", "sw sw-" + kind), st = sw.style;
    if (kind === "line") { st.width = "24px"; st.height = Math.max(2, size) + "px"; st.background = colour; }
    else if (kind === "dashed") { st.width = "24px"; st.borderTop = size + "px dashed " + colour; }
    else if (kind === "dot") { st.width = st.height = size + "px"; st.background = colour; }
    else if (kind === "hollow" || kind === "place") { st.width = st.height = size + "px"; st.borderColor = colour; }
    else if (kind === "ring" || kind === "informal") { st.width = st.height = size + "px"; st.borderColor = colour; }
    else if (kind === "area" || kind === "area-dashed") { st.borderColor = colour; }
    else if (kind === "diamond" || kind === "official") { st.width = st.height = size + "px"; st.background = colour; }
    return sw;
  }

  /* As tall as the map allows; in two columns when one would need a scroll. */
  function fitLegend(map, div) {
    var body = div.querySelector(".fr-legend-body");
    if (!body || !map._container) { return; }
    body.style.maxHeight = Math.max(80, map.getSize().y - 70) + "px";
    L.DomUtil.removeClass(div, "fr-legend-wide");
    if (body.scrollHeight > body.clientHeight + 1 && map.getSize().x >= 560) { L.DomUtil.addClass(div, "fr-legend-wide"); }
  }

  L.fronteraLegend = function (group, sections) {
    var control = L.control({ position: "topright" });
    control.onAdd = function (map) {
      var div = L.DomUtil.create("div", "frontera-legend");
      var details = L.DomUtil.create("details", "frontera-legend-box", div);
      var summary = L.DomUtil.create("summary", "", details);
      summary.textContent = say("Legend");
      var body = L.DomUtil.create("div", "fr-legend-body", details);
      sections.forEach(function (section) {
        var part = L.DomUtil.create("div", "fr-legend-part", body);
        L.DomUtil.create("h5", "", part).textContent = section[0];
        section[1].forEach(function (row) {
          var line = L.DomUtil.create("div", "row", part);
          line.appendChild(swatch(row[0], row[1], row[2]));
          L.DomUtil.create("span", "", line).textContent = row[3];
        });
      });
      if (!sections.length) { L.DomUtil.create("p", "", body).textContent = say("Nothing drawn: tick a layer."); }
      details.open = !!window.__fronteraLegendOpen;    /* stays open across layer and date changes */
      details.addEventListener("toggle", function () {
        window.__fronteraLegendOpen = details.open;
        if (details.open && map.closePopup) { map.closePopup(); }
        fitLegend(map, div);
      });
      fitLegend(map, div);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    group.on("add", function () { control.addTo(group._map); });
    group.on("remove", function () { control.remove(); });
    if (group._map) { control.addTo(group._map); }
    return control;
  };

  L.fronteraSay = say;  /* for the fast renderer's notes and popups (static/frontera/fast-points.js) */
  L.fronteraMapUse = function (map, options) {
    if (options.text) { TEXT = options.text; }
    if (options.thousands) { L.fronteraThousands = options.thousands; }
    if (options.scale) { L.control.scale(options.scale).addTo(map); }
    if (options.narrow) { narrowHome(map, options.narrow); }
    if (options.dateLocale && window.Intl) {
      var dayFormat = new Intl.DateTimeFormat(options.dateLocale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
      L.fronteraDay = function (iso) { return iso ? dayFormat.format(new Date(iso + "T00:00:00Z")) : iso; };
    }
    (options.panes || []).forEach(function (spec) {
      var pane = map.getPane(spec[0]) || map.createPane(spec[0]);
      pane.style.zIndex = spec[1];
      if (spec[2]) { pane.style.pointerEvents = "none"; }
    });
    var tol = (L.Browser.mobile || L.Browser.touch && !L.Browser.pointer) ? 12 : 6;
    map.getContainer().addEventListener("click", function (e) { onClick(map, tol, e); }, true);
    map.on("popupopen", function (e) {
      fitPopup(map, e.popup);
      e.popup.update();
      selectArea(e.popup, true);
    });
    map.on("popupclose", function (e) { selectArea(e.popup, false); });
    var mouse = null, tip = null, frame = null;
    map.on("mousemove", function (e) {
      mouse = e.containerPoint;
      if (tip && !frame) {                 /* at most once per animation frame */
        frame = L.Util.requestAnimFrame(function () { frame = null; if (tip) { hintSharedSpot(map, tol, tip, mouse); fitTip(map, tip); } });
      }
    });
    map.on("tooltipopen", function (e) {
      tip = e.tooltip.options.permanent ? tip : e.tooltip;
      hintSharedSpot(map, tol, e.tooltip, mouse);
      fitTip(map, e.tooltip);
    });
    map.on("tooltipclose", function (e) { if (e.tooltip === tip) { tip = null; } });
    openLinksOutside(map);
    var pending = null;
    var later = function () {
      if (pending) { return; }
      pending = setTimeout(function () { pending = null; declutter(map); }, 30);
    };
    map.on("zoomend moveend layeradd", later);
    /* Once more half a second after the last layer arrived: at the opening view the only pass ran while the
       layers were still arriving, and Amatenango's label stayed on the side that hid the flows. */
    var settle = null;
    map.on("layeradd", function () { clearTimeout(settle); settle = setTimeout(later, 500); });
    later();
    /* Tests and the picker read the map from here (streamlit-folium also sets window.map). */
    window.fronteraMap = map;
    return map;
  };
})();
