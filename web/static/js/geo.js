// The offline base map: Leaflet with no tile layer, the country outlines of Natural Earth (world-atlas
// TopoJSON, shipped in /static/vendor) drawn as the base layer. Nothing is fetched from outside this server.
// Leaflet and topojson-client are classic scripts loaded by the page's template (globals L and topojson).
// Tooltips are given DOM nodes, never strings (Leaflet would put a string in as HTML).

const OUTLINES = { "110m": "/static/vendor/world-atlas/countries-110m.json",
                   "50m": "/static/vendor/world-atlas/countries-50m.json" };

/** A Leaflet map in `container` with the country outlines drawn; resolves to {map, countries}. */
export async function offlineMap(container, { detail = "110m", label = "Map" } = {}) {
  const map = L.map(container, { zoomSnap: 0.25, minZoom: 1, maxZoom: 10, worldCopyJump: false,
                                 preferCanvas: false, attributionControl: true });
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", label);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Country outlines: Natural Earth (public domain)");
  map.setView([48, 15], 3, { animate: false });
  const response = await fetch(OUTLINES[detail] || OUTLINES["110m"], { credentials: "same-origin" });
  if (!response.ok) throw new Error(`the country outlines could not be loaded (${response.status})`);
  const topo = await response.json();
  const shapes = topojson.feature(topo, topo.objects.countries);
  const countries = L.geoJSON(shapes, {
    interactive: false,
    style: () => ({ color: "#6b7785", weight: 0.8, fillColor: "#f4f1e8", fillOpacity: 1, className: "country" }),
  }).addTo(map);
  return { map, countries };
}

/** A tooltip's content as DOM: a bold first line, then more lines, all as text. */
export function tip(title, ...lines) {
  const box = document.createElement("div");
  const strong = document.createElement("strong");
  strong.textContent = title;
  box.append(strong);
  for (const line of lines) {
    const div = document.createElement("div");
    div.textContent = line;
    box.append(div);
  }
  return box;
}

/** Radius (px) for a count, by area: the largest gets `max`, one gets at least `min`. */
export function radius(value, largest, min = 5, max = 22) {
  if (!largest) return min;
  return min + (max - min) * Math.sqrt(value / largest);
}

/** True when a place has coordinates. */
export function placed(place) {
  return Boolean(place) && place.lat !== null && place.lat !== undefined && place.lon !== null && place.lon !== undefined;
}
