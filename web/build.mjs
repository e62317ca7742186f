// Copies the files the aggregator's website serves from the installed npm packages into one folder (the first
// argument), with the packages' licences, and turns Natural Earth's 1:110m country outlines (world-atlas, TopoJSON)
// into a small GeoJSON file with coordinates rounded to 0.01 degree. Run by refresh.sh after 'npm ci'; the build of
// the website only embeds the result (web/vendor), and never runs npm or node.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { feature } from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error("usage: node build.mjs OUTPUT_FOLDER");
  process.exit(2);
}
mkdirSync(join(out, "images"), { recursive: true });
mkdirSync(join(out, "licenses"), { recursive: true });
for (const pkg of ["leaflet", "world-atlas", "topojson-client"]) {
  copyFileSync(join(here, "node_modules", pkg, "LICENSE"), join(out, "licenses", `${pkg}.txt`));
}

const leaflet = join(here, "node_modules", "leaflet", "dist");
copyFileSync(join(leaflet, "leaflet.js"), join(out, "leaflet.js"));
copyFileSync(join(leaflet, "leaflet.css"), join(out, "leaflet.css"));
for (const image of ["marker-icon.png", "marker-icon-2x.png", "marker-shadow.png", "layers.png", "layers-2x.png"]) {
  copyFileSync(join(leaflet, "images", image), join(out, "images", image));
}

const topology = JSON.parse(readFileSync(join(here, "node_modules", "world-atlas", "countries-110m.json"), "utf8"));
const countries = feature(topology, topology.objects.countries);
const round = (value) => Array.isArray(value) ? value.map(round) : Math.round(value * 100) / 100;
const outlines = {
  type: "FeatureCollection",
  features: countries.features.map((f) => ({
    type: "Feature",
    properties: { name: f.properties.name },
    geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
  })),
};
writeFileSync(join(out, "countries.geojson"), JSON.stringify(outlines));
