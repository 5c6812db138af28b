// Map: corridors as lines and hotspots as circles on the offline country outlines, and the same data in
// two tables below (the map alone is not accessible). Data: GET /v1/insight/map.
import { api, el, entityLink, fill, main, say, table } from "../ui.js";
import { offlineMap, placed, radius, tip } from "../geo.js";

const plural = (count, one, many = one + "s") => `${count} ${count === 1 ? one : many}`;
const modes = (c) => Object.entries(c.modes).map(([mode, count]) => `${mode} ${count}`).join(", ");

function drawCorridors(corridors) {
  const layer = L.layerGroup();
  const drawn = corridors.filter((c) => placed(c.origin) && placed(c.destination));
  const most = Math.max(1, ...drawn.map((c) => c.people));
  for (const c of drawn) {
    L.polyline([[c.origin.lat, c.origin.lon], [c.destination.lat, c.destination.lon]], {
      color: "#a4161a", opacity: 0.75, weight: 1.5 + 6 * Math.sqrt(c.people / most), className: "corridor-line",
    }).bindTooltip(tip(`${c.origin.name} → ${c.destination.name}`, plural(c.people, "person", "people"),
                       plural(c.legs, "leg"), modes(c)), { sticky: true }).addTo(layer);
  }
  return { layer, drawn };
}

function drawHotspots(hotspots) {
  const layer = L.layerGroup();
  const at = new Map(); // one circle per position: London, "UK" and "England" may share one
  for (const h of hotspots.filter((h) => placed(h.place))) {
    const key = `${h.place.lat},${h.place.lon}`;
    if (!at.has(key)) at.set(key, { place: h.place, items: [] });
    at.get(key).items.push(h);
  }
  const most = Math.max(1, ...hotspots.map((h) => h.victims));
  for (const { place, items } of at.values()) {
    const top = Math.max(...items.map((h) => h.victims));
    L.circleMarker([place.lat, place.lon], {
      radius: radius(top, most), color: "#083f77", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.45,
      className: "hotspot-marker",
    }).bindTooltip(tip(place.name, ...items.map((h) => `${h.name}: ${plural(h.victims, "victim")} linked`)))
      .addTo(layer);
  }
  return { layer, positions: at.size };
}

function tables(view) {
  const where = (p) => (placed(p) ? p.name : el("span", { class: "muted" }, p ? `${p.name} (not on the map)` : "not on the map"));
  fill(document.getElementById("hotspots"), view.hotspots.length ? table(view.hotspots, [
    { label: "Hotspot", value: (h) => entityLink({ id: h.id, name: h.name }) },
    { label: "Kind", value: (h) => (h.label === "Location" ? "place" : "business") },
    { label: "Drawn at", value: (h) => where(h.place) },
    { label: "Victims linked", value: (h) => h.victims },
    { label: "Indicators", value: (h) => h.indicators },
    { label: "Narratives", value: (h) => h.narratives },
  ], "Hotspots, highest score first", "Hotspots table") : el("p", { class: "muted" }, "No hotspots: no victim is linked to a place or business yet."));
  fill(document.getElementById("corridors"), view.corridors.length ? table(view.corridors, [
    { label: "From", value: (c) => where(c.origin) },
    { label: "To", value: (c) => where(c.destination) },
    { label: "People", value: (c) => c.people },
    { label: "Legs", value: (c) => c.legs },
    { label: "Modes", value: modes },
    { label: "Narratives", value: (c) => c.narratives },
  ], "Corridors, busiest first", "Corridors table") : el("p", { class: "muted" }, "No corridors: no travel with an origin has been recorded yet."));
}

async function load() {
  try {
    const [view, base] = await Promise.all([
      api("/insight/map", { query: { limit: 200 } }),
      offlineMap(document.getElementById("map"), { label: "Map of corridors and hotspots; the tables below list the same data" }),
    ]);
    const { map } = base;
    const corridors = drawCorridors(view.corridors);
    const hotspots = drawHotspots(view.hotspots);
    corridors.layer.addTo(map);
    hotspots.layer.addTo(map);
    for (const [id, layer] of [["show-corridors", corridors.layer], ["show-hotspots", hotspots.layer]]) {
      document.getElementById(id).addEventListener("change", (event) => {
        if (event.target.checked) layer.addTo(map); else layer.remove();
      });
    }
    const points = [...view.hotspots.map((h) => h.place), ...view.corridors.flatMap((c) => [c.origin, c.destination])]
      .filter(placed).map((p) => [p.lat, p.lon]);
    if (points.length) map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 6, animate: false });
    tables(view);
    fill(document.getElementById("unplaced"),
      `${plural(corridors.drawn.length, "corridor")} and ${plural(hotspots.positions, "hotspot position")} drawn. ` +
      (view.unplaced ? `${view.unplaced} of the rows below cannot be placed offline (a region, a small town or an unknown ` +
                       "country) and are listed without a position. " : "") +
      (view.truncated ? "Only the 200 busiest corridors and highest hotspots are shown." : ""));
    say("");
  } catch (error) {
    say(`The map could not be loaded: ${error.message}`, true);
  } finally {
    main.dataset.ready = "1";
  }
}

load();
