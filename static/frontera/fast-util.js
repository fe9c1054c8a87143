/* Frontera's fast renderer, shared utilities: escaping, DOM text, payload decoding, projection.
 *
 * Loaded first of the fast-*.js files (frontera.layers.fast.elements.SCRIPT_FILES gives the order:
 * fast-util, fast-schema, fast-raster, fast-canvas, fast-points, fast-hexagons). Everything goes into
 * the namespace L.FronteraFast; nothing here draws.
 *
 * A payload (frontera/layers/fast/codec.py) is a header and one base64 buffer of typed arrays and string
 * tables. Its columns, their types and order, and the payload's version are declared once in
 * frontera/layers/fast/schema.py, which writes fast-schema.js (L.FronteraFast.schema). schemaProblem()
 * compares a header with it: a layer refuses (console error, nothing drawn) a payload whose version this
 * page does not know or whose columns differ from the declaration.
 */
(function () {
  "use strict";
  var L = window.L;
  if (!L || (L.FronteraFast && L.FronteraFast.util)) { return; }
  var F = L.FronteraFast = L.FronteraFast || {};

  var TYPES = { i32: Int32Array, u32: Uint32Array, u16: Uint16Array, u8: Uint8Array, f32: Float32Array };
  var CODE_TYPES = ["u8", "u16", "u32"];
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

  /* Thousands grouped as the session's language writes them (L.fronteraThousands, set by mapuse.js): 4,187 / 4.187. */
  function thousands(n) { return Number(n).toLocaleString("en-US").split(",").join(L.fronteraThousands || ","); }
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

  /* Why this page cannot read a payload (a sentence), or "" when the header matches the schema. */
  function schemaProblem(header, kind) {
    var schema = F.schema, cols = (header && header.columns) || {}, names, k, c, want;
    if (!schema) { return "fast-schema.js is not loaded: the page cannot read the event payload"; }
    if (!header || header.v !== schema.version) {
      return "event payload version " + JSON.stringify(header && header.v) + " is not the one this page reads (" +
        schema.version + "): re-export the map, or reload the page, with one Frontera version";
    }
    if (header.payload !== kind) {
      return "payload of " + JSON.stringify(header.payload) + " given to a layer of " + JSON.stringify(kind);
    }
    names = Object.keys(cols).filter(function (n) { return n.indexOf("#") < 0; });
    want = schema[kind].map(function (col) { return col[0]; });
    if (names.join(",") !== want.join(",")) {
      return "payload columns [" + names.join(", ") + "] differ from the schema's [" + want.join(", ") + "]";
    }
    for (k = 0; k < schema[kind].length; k++) {
      c = cols[schema[kind][k][0]];
      want = schema[kind][k][1];
      if (want === "code" ? CODE_TYPES.indexOf(c.t) < 0 : c.t !== want) {
        return "payload column " + schema[kind][k][0] + " is " + c.t + ", the schema says " + want;
      }
    }
    return "";
  }

  /* A payload decoded: {n, columns by name} (the Promise of it), after schemaProblem() found nothing. */
  function decode(header, b64) {
    return unpack(header, b64).then(function (buffer) { return readColumns(header, buffer); });
  }


  F.util = {
    TYPES: TYPES, SEP: SEP, TAU: TAU, esc: esc, safeUrl: safeUrl, unpack: unpack, readColumns: readColumns,
    schemaProblem: schemaProblem, decode: decode, text: text, code: code, mercX: mercX, mercY: mercY,
    isoDay: isoDay, rgb: rgb, hexToRgba: hexToRgba, thousands: thousands, short: short, el: el, addRows: addRows
  };
  L.fronteraEscape = esc;
})();
