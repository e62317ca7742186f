// The directory website's map, an enhancement of the server-rendered pages: markers for the search's hits (asked of
// the directory API on this origin), list and map linked both ways, "near me" by geolocation or by a click on the map.
// Country outlines bundled with the site are the base map; tiles only when the aggregator's settings name a server.
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || !window.L) {
    return;
  }

  var english = element.dataset.lang === "en";
  var text = english
    ? { details: "See the chaton", inList: "Show in the list", onMap: "Show on the map", here: "Use my position", locating: "Finding your position…",
        noGeo: "Your position is not available; click on the map to choose a place.", picked: "Position chosen on the map: ", search: "Search around here",
        loaded: function (n) { return n + " chaton" + (n === 1 ? "" : "s") + " on the map."; } }
    : { details: "Voir le chaton", inList: "Voir dans la liste", onMap: "Voir sur la carte", here: "Utiliser ma position", locating: "Recherche de votre position…",
        noGeo: "Votre position n'est pas disponible ; cliquez sur la carte pour choisir un lieu.", picked: "Position choisie sur la carte : ", search: "Chercher autour d'ici",
        loaded: function (n) { return n + " chaton" + (n > 1 ? "s" : "") + " sur la carte."; } };

  var panel = element.closest(".map-panel");
  (panel || element).hidden = false;
  element.hidden = false;
  var status = document.getElementById("map-status");
  var say = function (message) { if (status) { status.textContent = message; } };

  var tiles = element.dataset.tiles;
  var map = L.map(element, { center: [46.6, 2.4], zoom: 5, minZoom: 2, maxZoom: tiles ? 18 : 11, worldCopyJump: true, attributionControl: !!tiles });
  if (tiles) {
    L.tileLayer(tiles, { attribution: escapeText(element.dataset.attribution || ""), maxZoom: 18 }).addTo(map);
    map.attributionControl.setPrefix(false);
  } else {
    fetch(element.dataset.outlines, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (outlines) {
        if (outlines) {
          L.geoJSON(outlines, { interactive: false, style: { color: "#7a7a70", weight: 1, fillColor: "#f3f1e7", fillOpacity: 1 } }).addTo(map).bringToBack();
        }
      });
  }

  if (element.dataset.point) {
    var point = element.dataset.point.split(",").map(Number);
    L.marker(point, { title: element.dataset.name, alt: element.dataset.name }).addTo(map);
    map.setView(point, tiles ? 11 : 6);
    return;
  }

  var form = document.getElementById("search");
  var near = document.getElementById("near");
  var radius = document.getElementById("radius");
  var sort = document.getElementById("sort");
  var items = {};
  document.querySelectorAll("#hits .hit").forEach(function (item) {
    items[item.dataset.id] = item;
  });
  var markers = {};

  function select(id) {
    Object.keys(items).forEach(function (key) { items[key].classList.toggle("selected", key === id); });
  }

  function chatonLink(id) {
    var lang = new URLSearchParams(window.location.search).get("lang");
    return "/chaton?id=" + encodeURIComponent(id) + (lang ? "&lang=" + encodeURIComponent(lang) : "");
  }

  function popup(hit) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = hit.name;
    title.appendChild(strong);
    box.appendChild(title);
    if (hit.location && hit.location.name) {
      var place = document.createElement("p");
      place.textContent = hit.location.name;
      box.appendChild(place);
    }
    var link = document.createElement("a");
    link.href = chatonLink(hit.id);
    link.textContent = text.details;
    var line = document.createElement("p");
    line.appendChild(link);
    box.appendChild(line);
    if (items[hit.id]) {
      var show = document.createElement("a");
      show.href = "#";
      show.textContent = text.inList;
      show.addEventListener("click", function (event) {
        event.preventDefault();
        map.closePopup();
        select(hit.id);
        items[hit.id].scrollIntoView({ block: "center" });
        items[hit.id].querySelector("h3 a").focus();
      });
      var again = document.createElement("p");
      again.appendChild(show);
      box.appendChild(again);
    }
    return box;
  }

  var layer = L.featureGroup().addTo(map);
  fetch(element.dataset.api + (element.dataset.api.indexOf("?") < 0 ? "?" : "&") + "limit=1000", { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : { items: [] }; })
    .then(function (page) {
      var count = 0;
      page.items.forEach(function (hit) {
        if (!hit.location) {
          return;
        }
        count++;
        var marker = L.marker([hit.location.latitude, hit.location.longitude], { title: hit.name, alt: hit.name });
        marker.bindPopup(popup(hit));
        marker.on("click", function () { select(hit.id); });
        marker.addTo(layer);
        markers[hit.id] = marker;
      });
      element.dataset.markers = String(count);
      say(text.loaded(count));
      if (!element.dataset.near && count > 0) {
        map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 9 });
      }
    });

  // List to map: a button on each hit that has a place.
  Object.keys(items).forEach(function (id) {
    var item = items[id];
    if (!item.dataset.lat) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary show-on-map";
    button.textContent = text.onMap;
    button.addEventListener("click", function () {
      var marker = markers[id];
      select(id);
      map.setView([Number(item.dataset.lat), Number(item.dataset.lon)], Math.max(map.getZoom(), 8));
      if (marker) {
        marker.openPopup();
      }
      element.scrollIntoView({ block: "nearest" });
    });
    item.appendChild(button);
  });

  // Near me: the centre and radius of the search, drawn; a click on the map chooses a new centre.
  var circle = null;
  function drawCircle(lat, lon, km) {
    if (circle) {
      circle.remove();
    }
    circle = L.circle([lat, lon], { radius: km * 1000, color: "#b34700", weight: 2, fillOpacity: 0.08, interactive: false }).addTo(map);
  }
  if (element.dataset.near) {
    var centre = element.dataset.near.split(",").map(Number);
    drawCircle(centre[0], centre[1], centre[2]);
    map.fitBounds(circle.getBounds(), { padding: [10, 10] });
  }

  function useCentre(lat, lon) {
    near.value = lat.toFixed(4) + ", " + lon.toFixed(4);
    if (sort) {
      sort.value = "distance";
    }
    drawCircle(lat, lon, Number(radius.value || 50));
  }

  map.on("click", function (event) {
    var lat = event.latlng.lat;
    var lon = L.Util.wrapNum(event.latlng.lng, [-180, 180], true);
    useCentre(lat, lon);
    say(text.picked + near.value);
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = text.search;
    button.addEventListener("click", function () { form.requestSubmit(); });
    L.popup().setLatLng(event.latlng).setContent(button).openOn(map);
  });

  if (near && navigator.geolocation) {
    var here = document.createElement("button");
    here.type = "button";
    here.id = "near-me";
    here.className = "secondary";
    here.textContent = text.here;
    here.addEventListener("click", function () {
      say(text.locating);
      navigator.geolocation.getCurrentPosition(function (position) {
        useCentre(position.coords.latitude, position.coords.longitude);
        form.requestSubmit();
      }, function () {
        say(text.noGeo);
      }, { maximumAge: 600000, timeout: 15000 });
    });
    var wrapper = document.createElement("p");
    wrapper.appendChild(here);
    near.closest("fieldset").appendChild(wrapper);
  }

  function escapeText(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }
})();
