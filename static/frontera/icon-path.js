/* Frontera: tell Leaflet where its default marker images are.
 * Inside streamlit-folium this script runs before leaflet.css is applied, so
 * Leaflet's own guess (read from the CSS) points at a wrong folder. Loaded right
 * after leaflet.js; the images sit beside it in ../vendor/leaflet/images/. */
(function () {
  var script = document.currentScript;
  if (window.L && script && script.src) {
    L.Icon.Default.imagePath = new URL("../vendor/leaflet/images/", script.src).href;
  }
})();
