/* Frontera: a click on the map must not scroll the page.
 * Leaflet focuses the map container on mousedown (for its keyboard controls) and then
 * restores the scroll of its own window only. Inside streamlit-folium the map sits in a
 * frame: when the frame is partly out of view, focusing it scrolls the page, so the
 * mouse is released over another feature and the click is lost. Focus without scrolling. */
(function () {
  if (window.L && L.Map && L.Map.Keyboard) {
    L.Map.Keyboard.include({
      _onMouseDown: function () {
        if (!this._focused) { this._map._container.focus({ preventScroll: true }); }
      }
    });
  }
})();
