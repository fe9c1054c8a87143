/* Frontera: one clock for every dated layer (frontera/layers/clock.py). Play, pause and step by a
 * day or a week, as a moving window (the last day or week up to the clock) or cumulatively (from the
 * range's first day up to the clock); the clock's date is written on the map. All in the browser:
 * playing never asks the server.
 *
 * L.fronteraClock(group, {start, end}) puts the control on the group's map while the group is there
 * (start and end: the view's first and last day, as days since 1970-01-01). Until it is used, the
 * clock is off and the map shows the whole range as the server drew it.
 *
 * What the clock hides:
 *  - a vector layer or marker whose options carry fronteraDays = [first day, last day or null] (null:
 *    still going on) is taken off the map while its days miss the clock's, and put back after (it
 *    stays in its feature group); a layer added later (a layer ticked while playing) is checked as it
 *    arrives;
 *  - a canvas layer (fast-points.js) gets the filter through its hook setDayFilter(keep), where
 *    keep(startDay, spanDays) says whether an event is drawn (spanDays -1: no end), and keep.range = [lo, hi]
 *    is the window (the server's hexagons, fast-hexagons.js, sum their rows per day over it).
 * The rule is frontera.model.dates.overlaps: shown when its days overlap the clock's, both ends in.
 *
 * The clock's day, step and mode outlive a rerun of the page (the app puts a new clock on the map when the
 * dates change): the new clock takes them when its day lies in the new range, or the mode is cumulative.
 *
 * The control carries data-day (the clock's date, ISO) and data-from / data-to (the days shown), or
 * data-day="" while off; tests and people read the same text.
 */
(function () {
  "use strict";
  var L = window.L;
  if (!L) { return; }
  var DAY_MS = 86400000;
  var TICK_MS = 800;

  function iso(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }
  /* A day as the session's language writes it ("23 Jul 2024", "23 jul 2024"; static/frontera/mapuse.js). */
  function shown(day) { return L.fronteraDay ? L.fronteraDay(iso(day)) : iso(day); }

  /* The clock's state across a rerun (the app swaps the clock for a new one when the dates change): kept in
     sessionStorage under the map's document path, with the load time of the top page, so that only this
     page's later clocks restore it (a new visit, a reload of the export or another tab start with the clock off). */
  var STORE_KEY = "frontera.clock@" + (window.location ? window.location.pathname : "");
  function pageStamp() {
    try { return String(window.top.performance.timeOrigin); } catch (e) { return String(performance.timeOrigin); }
  }
  function readSaved() {
    try {
      var s = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "null");
      return s && typeof s === "object" && s.page === pageStamp() ? s : null;
    } catch (e) { return null; }
  }

  /* Whether a record of days [first, last] (last null: going on) overlaps [lo, hi]. */
  function overlaps(first, last, lo, hi) {
    return first !== null && first !== undefined && first <= hi && (last === null || last === undefined || last >= lo);
  }

  function Clock(options) {
    this.start = options.start;
    this.end = options.end;
    this.on = false;
    this.playing = false;
    this.step = 7;              /* days per step: 1 or 7 */
    this.cumulative = false;    /* moving window (the last step's days) or from the start */
    this.day = options.end;
    this.dated = {};            /* leaflet id -> {layer, group}: the vector layers with days */
  }

  /* The days shown: [lo, hi]. */
  Clock.prototype.range = function () {
    var lo = this.cumulative ? this.start : Math.max(this.start, this.day - this.step + 1);
    return [lo, this.day];
  };

  /* Remember the state (not while the control leaves the map: a rerun removes the old clock). */
  Clock.prototype.save = function () {
    if (this.leaving) { return; }
    var state = { page: pageStamp(), on: this.on, day: this.day, step: this.step, cumulative: this.cumulative };
    try { window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* no storage: forget */ }
  };

  /* Take a saved state: step and mode always; the day when the clock was on and the day lies in the new
     range, or the mode is cumulative (then clamped into the range). */
  Clock.prototype.restore = function (s) {
    if (!s) { return; }
    if (s.step === 1 || s.step === 7) { this.step = s.step; }
    this.cumulative = s.cumulative === true;
    var day = Math.round(Number(s.day));
    if (s.on === true && isFinite(day) && (this.cumulative || (day >= this.start && day <= this.end))) {
      this.on = true;
      this.day = Math.max(this.start, Math.min(this.end, day));
    }
  };

  Clock.prototype.keeps = function (days) {
    if (!this.on || !days) { return true; }
    var r = this.range();
    return overlaps(days[0], days[1], r[0], r[1]);
  };

  /* The hook the canvas layer applies to each event (fast-points.js setDayFilter). */
  Clock.prototype.dayFilter = function () {
    if (!this.on) { return null; }
    var r = this.range(), lo = r[0], hi = r[1];
    var keep = function (start, span) { return start <= hi && (span < 0 || start + span >= lo) && start > -2147483648; };
    keep.range = [lo, hi];  /* for layers that sum by day (fast-hexagons.js) */
    return keep;
  };

  Clock.prototype.watch = function (layer) {
    var days = layer && layer.options && layer.options.fronteraDays;
    if (!days) {
      if (layer && layer.setDayFilter && this.on) { layer.setDayFilter(this.dayFilter()); }
      return;
    }
    var id = L.stamp(layer), group = null;
    for (var k in (layer._eventParents || {})) {
      if (layer._eventParents[k] instanceof L.LayerGroup) { group = layer._eventParents[k]; }
    }
    this.dated[id] = { layer: layer, group: group };
    this.place(this.dated[id]);
  };

  /* Show or hide one dated layer; forget those whose group left the map. */
  Clock.prototype.place = function (entry) {
    var map = entry.group ? entry.group._map : entry.layer._map;
    if (!map) { delete this.dated[L.stamp(entry.layer)]; return; }
    var keep = this.keeps(entry.layer.options.fronteraDays);
    if (keep && !entry.layer._map) { map.addLayer(entry.layer); }
    else if (!keep && entry.layer._map) { map.removeLayer(entry.layer); }
  };

  Clock.prototype.apply = function () {
    var self = this, map = this.map;
    if (!map) { return; }
    Object.keys(this.dated).forEach(function (id) { if (self.dated[id]) { self.place(self.dated[id]); } });
    var filter = this.dayFilter();
    map.eachLayer(function (l) { if (l.setDayFilter) { l.setDayFilter(filter); } });
    this.show();
  };

  Clock.prototype.moveTo = function (day) {
    this.on = true;
    this.day = Math.max(this.start, Math.min(this.end, day));
    this.apply();
  };

  Clock.prototype.play = function () {
    var self = this;
    if (!this.on || this.day >= this.end) { this.on = true; this.day = this.cumulative ? this.start : Math.min(this.end, this.start + this.step - 1); }
    this.playing = true;
    this.apply();
    clearInterval(this.timer);
    this.timer = setInterval(function () {
      if (self.day >= self.end) { self.pause(); return; }
      self.moveTo(self.day + self.step);
    }, TICK_MS);
  };

  Clock.prototype.pause = function () {
    this.playing = false;
    clearInterval(this.timer);
    this.show();
  };

  /* Back to the whole range, as the server drew it. */
  Clock.prototype.off = function () {
    this.pause();
    this.on = false;
    this.day = this.end;
    this.apply();
  };

  function button(parent, text, title, action) {
    var b = L.DomUtil.create("button", "fr-clock-btn", parent);
    b.type = "button";
    b.textContent = text;
    b.title = title;
    b.setAttribute("aria-label", title);
    L.DomEvent.on(b, "click", function (e) { L.DomEvent.stop(e); action(); });
    return b;
  }

  function choice(parent, cls, options, title, action) {
    var s = L.DomUtil.create("select", cls, parent);
    s.title = title;
    s.setAttribute("aria-label", title);
    options.forEach(function (o) {
      var opt = L.DomUtil.create("option", "", s);
      opt.value = o[0];
      opt.textContent = o[1];
    });
    L.DomEvent.on(s, "change", function () { action(s.value); });
    return s;
  }

  /* Texts in the page's language (static/frontera/mapuse.js keeps them, passed from Python). */
  function say(t) { return L.fronteraSay ? L.fronteraSay(t) : t; }

  Clock.prototype.build = function (div) {
    var self = this;
    var row = L.DomUtil.create("div", "fr-clock-row", div);
    this.playButton = button(row, "▶", say("Play"), function () { if (self.playing) { self.pause(); } else { self.play(); } });
    button(row, "‹", say("Step back"), function () { self.pause(); self.moveTo((self.on ? self.day : self.end) - self.step); });
    button(row, "›", say("Step forward"), function () {
      self.pause();
      self.moveTo(self.on ? self.day + self.step : self.start + self.step - 1);
    });
    this.stepChoice = choice(row, "fr-clock-step", [["7", say("week")], ["1", say("day")]], say("Step by"), function (v) {
      self.step = Number(v);
      if (self.on) { self.apply(); } else { self.show(); }
    });
    this.modeChoice = choice(row, "fr-clock-mode", [["window", say("window")], ["cumulative", say("cumulative")]], say("Show"), function (v) {
      self.cumulative = v === "cumulative";
      if (self.on) { self.apply(); } else { self.show(); }
    });
    button(row, "✕", say("Show the whole range"), function () { self.off(); });
    var slider = this.slider = L.DomUtil.create("input", "fr-clock-slider", div);
    slider.type = "range";
    slider.min = String(this.start);
    slider.max = String(this.end);
    slider.step = "1";
    slider.setAttribute("aria-label", say("Date"));
    L.DomEvent.on(slider, "input", function () {
      var day = Number(slider.value);  /* before pause() shows the clock's day on the slider again */
      self.pause();
      self.moveTo(day);
    });
    this.dateText = L.DomUtil.create("div", "fr-clock-date", div);
    this.rangeText = L.DomUtil.create("div", "fr-clock-range", div);
    this.stepNote = L.DomUtil.create("div", "fr-clock-note", div);
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    this.show();
  };

  /* The clock's date on the map, and what it shows. */
  Clock.prototype.show = function () {
    var div = this.div;
    if (!div) { return; }
    var r = this.range();
    this.playButton.textContent = this.playing ? "‖" : "▶";
    this.playButton.title = say(this.playing ? "Pause" : "Play");
    this.slider.value = String(this.day);
    this.stepChoice.value = String(this.step);
    this.modeChoice.value = this.cumulative ? "cumulative" : "window";
    div.setAttribute("data-day", this.on ? iso(this.day) : "");
    div.setAttribute("data-from", this.on ? iso(r[0]) : iso(this.start));
    div.setAttribute("data-to", this.on ? iso(r[1]) : iso(this.end));
    div.setAttribute("data-playing", this.playing ? "1" : "0");
    this.dateText.textContent = this.on ? shown(this.day) : say("All dates");
    this.rangeText.textContent = this.on
      ? say("showing {range}").split("{range}").join(r[0] === r[1] ? shown(r[0]) : shown(r[0]) + " – " + shown(r[1]))
      : say("{range}: ▶ to play").split("{range}").join(shown(this.start) + " – " + shown(this.end));
    /* Server hexagons summed by week (too many days to send by day) step by whole weeks: say so. */
    var weekly = false;
    if (this.map) { this.map.eachLayer(function (l) { if (l.clockStep === 7) { weekly = true; } }); }
    this.stepNote.textContent = this.on && weekly ? say("Hexagons step by week") : "";
    this.save();
  };

  L.fronteraClock = function (group, options) {
    var clock = new Clock(options);
    var control = L.control({ position: "bottomright" });
    function onLayerAdd(e) { clock.watch(e.layer); }
    control.onAdd = function (map) {
      var div = clock.div = L.DomUtil.create("div", "frontera-clock leaflet-bar");
      clock.map = map;
      clock.leaving = false;
      clock.restore(readSaved());
      clock.build(div);
      map.eachLayer(function (l) { clock.watch(l); });
      map.on("layeradd", onLayerAdd);
      if (clock.on) { clock.apply(); }
      return div;
    };
    control.onRemove = function (map) {
      map.off("layeradd", onLayerAdd);
      clock.leaving = true;
      clock.off();
      clock.map = null;
      clock.div = null;
    };
    group.on("add", function () { control.addTo(group._map); });
    group.on("remove", function () { control.remove(); });
    if (group._map) { control.addTo(group._map); }
    return clock;
  };
})();
