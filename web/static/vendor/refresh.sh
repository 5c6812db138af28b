#!/bin/sh
# Refresh the workspace's front-end libraries from the npm registry at the pinned versions below (`make vendor`).
# Nothing is fetched at run time: the files copied here are served by the app and committed with their licences.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TESTS=$HERE/../../../tests/vendor
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PINNED="cytoscape@3.35.0 leaflet@1.9.4 topojson-client@3.1.0 world-atlas@2.0.2 axe-core@4.14.1"
cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts $PINNED >/dev/null
M=$WORK/node_modules
rm -rf "$HERE/cytoscape" "$HERE/leaflet" "$HERE/topojson-client" "$HERE/world-atlas"
mkdir -p "$HERE/cytoscape" "$HERE/leaflet" "$HERE/topojson-client" "$HERE/world-atlas" "$TESTS"
cp "$M/cytoscape/dist/cytoscape.min.js" "$M/cytoscape/LICENSE" "$HERE/cytoscape/"
cp "$M/leaflet/dist/leaflet.js" "$M/leaflet/dist/leaflet.css" "$M/leaflet/LICENSE" "$HERE/leaflet/"
cp -r "$M/leaflet/dist/images" "$HERE/leaflet/"
cp "$M/topojson-client/dist/topojson-client.min.js" "$M/topojson-client/LICENSE" "$HERE/topojson-client/"
cp "$M/world-atlas/countries-110m.json" "$M/world-atlas/countries-50m.json" "$M/world-atlas/LICENSE" "$HERE/world-atlas/"
cp "$M/world-atlas/countries-110m.json" "$HERE/../../../reports/data/" && cp "$M/world-atlas/LICENSE" "$HERE/../../../reports/data/world-atlas.LICENSE"
cp "$M/axe-core/axe.min.js" "$TESTS/axe.min.js"
cp "$M/axe-core/LICENSE" "$TESTS/axe-core.LICENSE"
echo "$PINNED" | tr ' ' '\n' > "$HERE/VERSIONS"
echo "vendored: $PINNED"
