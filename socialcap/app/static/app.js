// socialcap serve: the page where a coordinator and a young person draw a map together.
//
// Rules this file keeps:
// * Text from the data is only ever set with textContent or setAttribute, never as
//   markup (no innerHTML anywhere), so a name can never become part of the page.
// * Every request goes to this app (relative addresses); the Content-Security-Policy
//   refuses anything else anyway.
// * The positions of markers and the curves of lines come from the server, which asks
//   socialcap.maps.layout: the screen and the printed map agree.
// * Every change is saved at once as a new version (PUT with If-Match); a refused
//   save (409, 422) is explained and nothing is lost.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var SCALE = 100; // screen units per map unit (the map is drawn in a viewBox)
  var MAX_LABEL = 22;

  var S = {
    style: null,
    people: [],
    personId: null,
    person: null,
    dates: [],
    date: null,
    version: null,
    map: null,
    positions: {},
    cells: {},
    dropped: {},
    curves: [],
    selected: null,
    undo: [],
    redo: [],
    saving: false,
    pendingSave: false,
    layoutSeq: 0,
    layoutBusy: 0,
    markers: {}
  };

  function $(id) { return document.getElementById(id); }
  function clone(value) { return JSON.parse(JSON.stringify(value)); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  // ---- talking to the app ------------------------------------------------------

  function api(method, path, body, headers) {
    var options = { method: method, credentials: "same-origin", headers: headers || {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { status: response.status, data: data };
      });
    });
  }
  function personPath(pid) { return "/api/people/" + encodeURIComponent(pid); }
  function snapPath(pid, date) { return personPath(pid) + "/snapshots/" + encodeURIComponent(date); }

  function updateBusy() {
    var busy = S.saving || S.pendingSave || S.layoutBusy > 0;
    document.body.setAttribute("data-state", busy ? "busy" : "idle");
  }

  // ---- words -------------------------------------------------------------------

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];
  function longDate(iso) {
    var p = iso.split("-");
    return Number(p[2]) + " " + MONTHS[Number(p[1]) - 1] + " " + p[0];
  }
  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }
  function shorten(text) {
    text = String(text).replace(/\s+/g, " ").trim();
    return text.length > MAX_LABEL ? text.slice(0, MAX_LABEL - 1).trim() + "\u2026" : text;
  }
  function nameOf(c) { return (c.name !== undefined && c.name !== null && String(c.name).trim() !== "") ? String(c.name) : String(c.connection_id); }
  function ringWords(c) {
    var ring = ringOf(c);
    return S.style.closeness_labels[String(ring)];
  }
  function where(c) {
    var sector = sectorOf(c.kind, c.domain);
    var part = c.kind === "person" ? S.style.domain_labels[c.domain] : sector.label + " (" + S.style.domain_labels[c.domain].toLowerCase() + ")";
    return part + ", " + ringWords(c);
  }
  function status(text, kind) {
    var node = $("status");
    node.textContent = text;
    node.className = "status" + (kind ? " " + kind : "");
  }

  // ---- the map's geometry (the same as socialcap.maps) ---------------------------

  function ringOf(c) {
    var v = c.closeness;
    return (v === undefined || v === null || v === "") ? 3 : Number(v);
  }
  function sectorOf(kind, domain) {
    var list = S.style.sectors;
    for (var i = 0; i < list.length; i++) {
      var s = list[i];
      if (s.kind === kind && (kind !== "person" || s.domains.indexOf(domain) >= 0)) { return s; }
    }
    return list[list.length - 1];
  }
  function sectorAt(x, y) {
    var angle = (Math.atan2(x, y) * 180 / Math.PI + 360) % 360;
    var list = S.style.sectors;
    for (var i = 0; i < list.length; i++) {
      if (angle >= list[i].start && angle < list[i].end) { return list[i]; }
    }
    return list[list.length - 1];
  }
  function ringAt(radius) {
    var e = S.style.ring_edges;
    return radius < e[1] ? 1 : radius < e[2] ? 2 : 3;
  }
  // Where a connection sits until the server has laid it out: the middle of its cell.
  function provisional(c) {
    var s = sectorOf(c.kind, c.domain), ring = ringOf(c), e = S.style.ring_edges;
    var a = (s.start + s.end) / 2 * Math.PI / 180, r = (e[ring - 1] + e[ring]) / 2;
    return [r * Math.sin(a), r * Math.cos(a)];
  }
  // The domain a person dropped into a slice takes: theirs if the slice holds it.
  var SLICE_DOMAIN = { partner_friends: "friend", neighbours_community: "neighbour", online_other: "online" };
  function domainFor(sector, current) {
    if (sector.domains.indexOf(current) >= 0 && sector.kind === "person") { return current; }
    return SLICE_DOMAIN[sector.key] || sector.domains[0];
  }
  function darker(hex) {
    var n = parseInt(hex.slice(1), 16);
    var r = Math.round(((n >> 16) & 255) * 0.7), g = Math.round(((n >> 8) & 255) * 0.7), b = Math.round((n & 255) * 0.7);
    return "#" + ((1 << 24) + (r << 16) + (g << 8) + b).toString(16).slice(1);
  }

  // ---- drawing -----------------------------------------------------------------

  function drawPaper() {
    var paper = $("paper"), st = S.style, e = st.ring_edges;
    clear(paper);
    for (var k = 3; k >= 1; k--) {
      paper.appendChild(svg("circle", { cx: 0, cy: 0, r: e[k] * SCALE, fill: st.ring_fills[k - 1], stroke: "#d9d2c5", "stroke-width": 1.2 }));
    }
    st.sectors.forEach(function (s) {
      var a = s.start * Math.PI / 180;
      paper.appendChild(svg("line", { x1: e[0] * SCALE * Math.sin(a), y1: -e[0] * SCALE * Math.cos(a),
        x2: e[3] * SCALE * Math.sin(a), y2: -e[3] * SCALE * Math.cos(a), stroke: "#ffffff", "stroke-width": 3 }));
    });
    st.sectors.forEach(function (s) {
      var a = (s.start + s.end) / 2 * Math.PI / 180, sx = Math.sin(a), sy = Math.cos(a);
      var r = (e[3] + 0.28) * SCALE;
      var anchor = sx > 0.3 ? "start" : sx < -0.3 ? "end" : "middle";
      var lines = s.label.replace(" & ", " &\n").split("\n");
      var y0 = -r * sy - (sy > 0.3 ? 10 : sy < -0.3 ? -10 : 0);
      lines.forEach(function (line, i) {
        paper.appendChild(svg("text", { x: r * sx, y: y0 + (i - (lines.length - 1) / 2) * 18, "text-anchor": anchor,
          "dominant-baseline": "middle", "class": "sector-label" }, line));
      });
    });
    [1, 2, 3].forEach(function (k) {
      var y = (e[k - 1] + e[k]) / 2 * SCALE;
      paper.appendChild(svg("text", { x: 0, y: 0, transform: "translate(0 " + y + ") rotate(-90)", "text-anchor": "middle",
        "dominant-baseline": "middle", "class": "ring-label" }, st.closeness_labels[String(k)]));
    });
    paper.appendChild(svg("circle", { cx: 0, cy: 0, r: e[0] * SCALE * 0.78, fill: st.centre_colour }));
    paper.appendChild(svg("text", { id: "centre-label", x: 0, y: 0, "text-anchor": "middle", "dominant-baseline": "middle",
      "class": "centre-label" }, "Me"));
  }

  // A hope (SPEC §11): a star in a light tint of its domain's colour, as on the printed map.
  function isHope(c) { return c.hope === true || c.hope === "true" || c.hope === 1; }
  function tint(hex) {
    var n = parseInt(hex.slice(1), 16), keep = S.style.hope_tint;
    var mix = function (v) { return Math.round(255 - keep * (255 - v)); };
    return "#" + ((1 << 24) + (mix((n >> 16) & 255) << 16) + (mix((n >> 8) & 255) << 8) + mix(n & 255)).toString(16).slice(1);
  }
  function star(colour) {
    var outer = 11 * S.style.hope_star_scale, inner = outer * 0.45, points = [];
    for (var i = 0; i < 10; i++) {
      var r = i % 2 ? inner : outer, a = i * Math.PI / 5;
      points.push((r * Math.sin(a)).toFixed(2) + "," + (-r * Math.cos(a)).toFixed(2));
    }
    return svg("polygon", { points: points.join(" "), fill: tint(colour), stroke: darker(colour), "stroke-width": 1.2, "class": "shape hope" });
  }

  function shape(kind, colour, paid) {
    var fill = paid ? "#ffffff" : colour, stroke = darker(colour), width = paid ? 3.5 : 1.2;
    var common = { fill: fill, stroke: stroke, "stroke-width": width, "class": "shape" };
    if (kind === "group") { return svg("rect", Object.assign({ x: -10, y: -10, width: 20, height: 20 }, common)); }
    if (kind === "place") { return svg("polygon", Object.assign({ points: "0,-13 12,9 -12,9" }, common)); }
    return svg("circle", Object.assign({ cx: 0, cy: 0, r: 11 }, common));
  }

  // A position from the server holds while the connection's cell (kind, slice, ring) is
  // the one it was laid out in; after a move, the marker waits where it was dropped (or
  // in the middle of its new cell) until the server's layout arrives.
  function cellOf(c) { return c.kind + "|" + c.domain + "|" + ringOf(c) + (isHope(c) ? "|hope" : ""); }
  function positionOf(c) {
    var cid = String(c.connection_id), known = S.positions[cid];
    if (known && S.cells[cid] === cellOf(c)) { return known; }
    return S.dropped[cid] || provisional(c);
  }

  function drawMarkers() {
    var layer = $("markers"), seen = {};
    var list = S.map ? S.map.connections : [];
    list.forEach(function (c) {
      var cid = String(c.connection_id);
      seen[cid] = true;
      var g = S.markers[cid];
      if (!g) {
        g = svg("g", { "class": "marker", tabindex: "0", role: "button" });
        g.setAttribute("data-connection-id", cid);
        bindMarker(g);
        S.markers[cid] = g;
        layer.appendChild(g);
      }
      var p = positionOf(c), look = JSON.stringify([c, p]);
      if (g.getAttribute("data-look") === look) { g.classList.toggle("selected", S.selected === cid); return; }
      g.setAttribute("data-look", look);
      clear(g);
      var colour = S.style.domain_colours[c.domain] || "#a0a0a0";
      var gives = c.support_given !== undefined && c.support_given !== null && String(c.support_given) !== "";
      g.setAttribute("transform", "translate(" + (p[0] * SCALE).toFixed(2) + " " + (-p[1] * SCALE).toFixed(2) + ")");
      g.setAttribute("data-x", String(p[0]));
      g.setAttribute("data-y", String(p[1]));
      g.setAttribute("data-kind", c.kind);
      g.setAttribute("data-hope", isHope(c) ? "true" : "false");
      g.setAttribute("aria-label", nameOf(c) + ": " + (isHope(c) ? "a hope, " + S.style.hope_words + ", " : "") +
        S.style.kind_labels[c.kind] + ", " + where(c) + (c.paid ? ", paid" : "") + (gives ? ", you give them support" : ""));
      g.appendChild(svg("circle", { r: 30, fill: "transparent", "class": "hit" }));
      g.appendChild(svg("circle", { r: 17, "class": "focus-ring" }));
      g.appendChild(isHope(c) ? star(colour) : shape(c.kind, colour, !!c.paid));
      if (gives) { g.appendChild(svg("text", { x: 11, y: -9, "class": "heart" }, S.style.heart)); }
      g.appendChild(svg("text", { x: 0, y: 29, "text-anchor": "middle", "class": "name" }, shorten(nameOf(c))));
      g.classList.toggle("selected", S.selected === cid);
    });
    Object.keys(S.markers).forEach(function (cid) {
      if (!seen[cid]) { layer.removeChild(S.markers[cid]); delete S.markers[cid]; }
    });
    placeNames(list);
  }

  // Names go below their marker if that is free, else above, else they are "crowded"
  // and shown only when the marker is chosen, hovered or focused: the interactive map's
  // rule (socialcap.maps), in the printed map's order of importance (closest rings
  // first, people before groups and places, those the person supports, then by name).
  var KIND_ORDER = { person: 0, group: 1, place: 2 };
  function placeNames(list) {
    var items = list.map(function (c) {
      var g = S.markers[String(c.connection_id)], p = positionOf(c);
      var gives = c.support_given !== undefined && c.support_given !== null && String(c.support_given) !== "";
      return { g: g, x: p[0] * SCALE, y: -p[1] * SCALE, text: g.querySelector("text.name"),
               rank: [ringOf(c), KIND_ORDER[c.kind] || 0, gives ? 0 : 1, shorten(nameOf(c)).toLowerCase()] };
    });
    items.sort(function (a, b) {
      for (var k = 0; k < 4; k++) { if (a.rank[k] < b.rank[k]) { return -1; } if (a.rank[k] > b.rank[k]) { return 1; } }
      return 0;
    });
    var size = 13, height = 13 * 1.25 + 4, centre = S.style.ring_edges[0] * 0.78 * SCALE;
    var taken = items.map(function (i) { return [i.x - size, i.y - size, i.x + size, i.y + size]; });
    taken.push([-centre, -centre, centre, centre]);
    function free(box) {
      return !taken.some(function (t) { return box[0] < t[2] && t[0] < box[2] && box[1] < t[3] && t[1] < box[3]; });
    }
    items.forEach(function (i) {
      var width = i.text.getComputedTextLength() + 4;
      var below = [i.x - width / 2, i.y + size + 5, i.x + width / 2, i.y + size + 5 + height];
      var above = [i.x - width / 2, i.y - size - 3 - height, i.x + width / 2, i.y - size - 3];
      var place = free(below) ? "below" : free(above) ? "above" : "crowded";
      if (place !== "crowded") { taken.push(place === "below" ? below : above); }
      i.text.setAttribute("y", place === "above" ? "-19" : "29");
      i.g.classList.toggle("crowded", place === "crowded");
    });
  }

  function drawTies() {
    var layer = $("ties");
    clear(layer);
    if (!S.map) { return; }
    var byId = {};
    S.map.connections.forEach(function (c) { byId[String(c.connection_id)] = c; });
    var curves = {};
    S.curves.forEach(function (t) { curves[t.source + "\u0000" + t.target] = t.control; });
    S.map.ties.forEach(function (t) {
      var a = byId[String(t.source)], b = byId[String(t.target)];
      if (!a || !b) { return; }
      var pa = positionOf(a), pb = positionOf(b);
      var control = curves[t.source + "\u0000" + t.target];
      var d = "M" + (pa[0] * SCALE).toFixed(2) + " " + (-pa[1] * SCALE).toFixed(2);
      if (control) { d += " Q" + (control[0] * SCALE).toFixed(2) + " " + (-control[1] * SCALE).toFixed(2); }
      else { d += " L"; }
      d += " " + (pb[0] * SCALE).toFixed(2) + " " + (-pb[1] * SCALE).toFixed(2);
      var path = svg("path", { d: d, "class": "tie" });
      path.setAttribute("data-source", String(t.source));
      path.setAttribute("data-target", String(t.target));
      layer.appendChild(path);
    });
  }

  function drawKey() {
    var key = $("key");
    clear(key);
    if (!S.map) { return; }
    var kinds = {}, domains = {}, paid = false, gives = false, hopes = false;
    S.map.connections.forEach(function (c) {
      hopes = hopes || isHope(c);
      kinds[c.kind] = true; domains[c.domain] = true; paid = paid || !!c.paid;
      gives = gives || (c.support_given !== undefined && c.support_given !== null && c.support_given !== "");
    });
    function item(icon, words) {
      var span = el("span", { "class": "item" });
      var pic = svg("svg", { viewBox: "-14 -14 28 28", "aria-hidden": "true" });
      pic.appendChild(icon);
      span.appendChild(pic);
      span.appendChild(document.createTextNode(words));
      key.appendChild(span);
    }
    ["person", "group", "place"].forEach(function (k) {
      if (kinds[k]) { item(shape(k, "#7f7f7f", false), S.style.kind_labels[k].replace(/^a /, "A ")); }
    });
    if (paid) { item(shape("person", "#7f7f7f", true), "Hollow: paid, such as a worker"); }
    if (hopes) { item(star("#7f7f7f"), "A hope: " + S.style.hope_words); }
    if (gives) { item(svg("text", { x: -7, y: 7, fill: S.style.heart_colour, "font-size": 18 }, S.style.heart), "You give them support"); }
    if (S.map.ties.length) { item(svg("line", { x1: -12, y1: 0, x2: 12, y2: 0, stroke: "#8c8c8c", "stroke-width": 3 }), "A line: they know each other"); }
    S.style.domains.forEach(function (d) {
      if (domains[d]) { item(svg("circle", { r: 9, fill: S.style.domain_colours[d], stroke: darker(S.style.domain_colours[d]) }), S.style.domain_labels[d]); }
    });
  }

  function drawTitle() {
    var title = $("map-title"), note = $("map-note"), centre = $("centre-label");
    var name = S.person && S.person.name ? String(S.person.name) : "";
    if (centre) { centre.textContent = name ? shorten(name).slice(0, 12) : "Me"; }
    if (!S.personId) { title.textContent = "Choose a young person to see their map"; note.textContent = ""; return; }
    var whose = name ? name + (/s$/i.test(name) ? "'" : "'s") : "My";
    if (!S.date) {
      title.textContent = (name || S.personId) + " has no map yet";
      note.textContent = "Start one with the button at the top.";
      return;
    }
    title.textContent = whose + " people, groups and places \u00b7 " + longDate(S.date);
    var latest = S.dates.length ? S.dates[S.dates.length - 1].date : null;
    note.textContent = latest && latest !== S.date ? "An earlier map: the latest is from " + longDate(latest) + "." : "";
  }

  function drawEveryone() {
    var list = $("everyone"), look = JSON.stringify([S.map && S.map.connections, S.selected]);
    if (list.getAttribute("data-look") === look) { return; }
    list.setAttribute("data-look", look);
    clear(list);
    var items = S.map ? S.map.connections.slice() : [];
    $("everyone-count").textContent = String(items.length);
    items.sort(function (a, b) { return ringOf(a) - ringOf(b) || nameOf(a).localeCompare(nameOf(b)); });
    items.forEach(function (c) {
      var cid = String(c.connection_id);
      var button = el("button", { type: "button", "aria-pressed": S.selected === cid ? "true" : "false" });
      button.setAttribute("data-connection-id", cid);
      button.appendChild(el("span", {}, nameOf(c)));
      button.appendChild(el("span", { "class": "where" }, (isHope(c) ? "A hope: " : "") + where(c) + (c.support_given ? " \u2665" : "")));
      button.addEventListener("click", function () { select(cid, true); });
      var li = el("li");
      li.appendChild(button);
      list.appendChild(li);
    });
    if (!items.length) { list.appendChild(el("li", { "class": "note" }, S.map ? "Nobody is on this map yet." : "")); }
  }

  function render() {
    // Redrawing replaces the controls; keep the keyboard where it was.
    var active = document.activeElement, keep = null;
    if (active && active.tagName === "INPUT" && active.name) { keep = [active.name, active.value]; }
    drawTies();
    drawMarkers();
    drawKey();
    drawTitle();
    drawEveryone();
    drawDetail();
    drawAnswers();
    $("undo").disabled = !S.undo.length;
    $("redo").disabled = !S.redo.length;
    $("add-button").disabled = !S.map;
    $("add-hope-button").disabled = !S.map;
    if (keep) {
      var again = document.querySelectorAll("input[name=\"" + keep[0] + "\"]");
      Array.prototype.forEach.call(again, function (input) { if (input.value === keep[1] && document.activeElement !== input) { input.focus(); } });
    }
  }

  // ---- layout from the server --------------------------------------------------

  function relayout() {
    if (!S.map) { return Promise.resolve(); }
    var seq = ++S.layoutSeq, cells = {};
    S.map.connections.forEach(function (c) { cells[String(c.connection_id)] = cellOf(c); });
    S.layoutBusy += 1;
    updateBusy();
    var body = {
      connections: S.map.connections.map(function (c) {
        return { connection_id: String(c.connection_id), kind: c.kind, domain: c.domain,
                 closeness: c.closeness === undefined ? null : c.closeness, hope: isHope(c),
                 support_given: c.support_given === undefined ? null : c.support_given };
      }),
      ties: S.map.ties.map(function (t) { return { source: String(t.source), target: String(t.target) }; })
    };
    return api("POST", "/api/layout", body).then(function (r) {
      if (seq === S.layoutSeq && r.status === 200) {
        S.positions = r.data.positions;
        S.curves = r.data.ties;
        S.cells = cells;
        S.dropped = {};
        drawTies();
        drawMarkers();
      }
    }).catch(function () { /* the save reports a silent server */ }).then(function () {
      S.layoutBusy -= 1;
      updateBusy();
    });
  }

  // ---- changes, undo, saving ---------------------------------------------------

  function commit(change, words) {
    if (!S.map) { return; }
    var before = clone(S.map);
    change(S.map);
    if (JSON.stringify(before) === JSON.stringify(S.map)) { return; }
    S.undo.push({ map: before, words: words });
    S.redo = [];
    afterChange(words);
  }
  function afterChange(words) {
    hideMessage();
    render();
    relayout();
    save();
    if (words) { announce(words); }
  }
  function undo() {
    if (!S.undo.length) { return; }
    var step = S.undo.pop();
    S.redo.push({ map: clone(S.map), words: step.words });
    S.map = step.map;
    if (S.selected && !findConnection(S.selected)) { S.selected = null; }
    afterChange("Undone: " + step.words);
  }
  function redo() {
    if (!S.redo.length) { return; }
    var step = S.redo.pop();
    S.undo.push({ map: clone(S.map), words: step.words });
    S.map = step.map;
    if (S.selected && !findConnection(S.selected)) { S.selected = null; }
    afterChange("Done again: " + step.words);
  }
  function announce(words) { $("status").setAttribute("data-last-change", words); }

  function body() {
    return { connections: S.map.connections, ties: S.map.ties, answers: S.map.answers || {} };
  }

  function save() {
    if (!S.map) { return; }
    if (S.saving) { S.pendingSave = true; updateBusy(); return; }
    S.saving = true;
    S.pendingSave = false;
    updateBusy();
    status("Saving\u2026");
    var pid = S.personId, date = S.date, path = snapPath(pid, date);
    api("PUT", path, body(), { "If-Match": "\"" + S.version + "\"" }).then(function (r) {
      S.saving = false;
      if (pid !== S.personId || date !== S.date) { updateBusy(); return; }
      if (r.status === 200) {
        S.version = r.data.version;
        S.dates.forEach(function (d) { if (d.date === date) { d.version = S.version; } });
        if (S.pendingSave) { save(); return; }
        status("Saved \u2713", "saved");
      } else if (r.status === 409) {
        S.pendingSave = false;
        conflict();
      } else if (r.status === 422) {
        S.pendingSave = false;
        refused(r.data && r.data.problems ? r.data.problems : []);
      } else {
        S.pendingSave = false;
        status("Not saved", "problem");
        showMessage("That change was not saved: " + (r.data && r.data.detail ? r.data.detail : "the app answered " + r.status) + ".", [],
          [["Try again", save]]);
      }
      updateBusy();
    }).catch(function () {
      S.saving = false;
      S.pendingSave = false;
      updateBusy();
      status("Not saved", "problem");
      showMessage("That change was not saved: socialcap serve is not answering. Your map is still on this page; " +
        "start socialcap serve again, then try again.", [], [["Try again", save]]);
    });
  }

  function problemWords(p) {
    var parts = [];
    if (p.row !== null && p.row !== undefined) {
      var row = Number(p.row) - 2, list = p.file === "ties" ? (S.map ? S.map.ties : []) : (S.map ? S.map.connections : []);
      var c = p.file === "connections" && list[row] ? nameOf(list[row]) : null;
      parts.push(c ? c : p.file + " row " + p.row);
    }
    if (p.column) { parts.push(p.column.replace(/_/g, " ")); }
    return (parts.length ? parts.join(", ") + ": " : "") + p.message;
  }
  function refused(problems) {
    status("Not saved", "problem");
    showMessage("The store did not save that change, because:", problems.map(problemWords),
      S.undo.length ? [["Undo that change", undo]] : []);
  }

  function conflict() {
    status("Not saved: someone else saved this map", "problem");
    var pid = S.personId, date = S.date;
    api("GET", snapPath(pid, date)).then(function (r) {
      if (r.status !== 200 || pid !== S.personId || date !== S.date) { return; }
      var theirs = r.data, mine = clone(S.map);
      var lines = differences(mine, theirs);
      showMessage("Someone else saved this map while you were working on it (it is now version " + theirs.version +
        "). Nothing of yours was lost: choose which map to keep.", lines, [
        ["Keep mine", function () { S.version = theirs.version; hideMessage(); save(); }],
        ["Take theirs", function () {
          S.undo.push({ map: mine, words: "taking their map" });
          S.redo = [];
          S.map = { connections: theirs.connections, ties: theirs.ties, answers: theirs.answers || {} };
          S.version = theirs.version;
          if (S.selected && !findConnection(S.selected)) { S.selected = null; }
          hideMessage();
          render();
          relayout();
          status("Showing their map", "saved");
        }]
      ]);
    });
  }
  function differences(mine, theirs) {
    var a = {}, b = {}, out = [];
    mine.connections.forEach(function (c) { a[String(c.connection_id)] = c; });
    theirs.connections.forEach(function (c) { b[String(c.connection_id)] = c; });
    Object.keys(a).forEach(function (k) {
      if (!b[k]) { out.push("Only on yours: " + nameOf(a[k])); }
      else if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) { out.push("Different: " + nameOf(a[k])); }
    });
    Object.keys(b).forEach(function (k) { if (!a[k]) { out.push("Only on theirs: " + nameOf(b[k])); } });
    if (JSON.stringify(mine.ties) !== JSON.stringify(theirs.ties)) { out.push("The lines between people differ."); }
    if (JSON.stringify(mine.answers || {}) !== JSON.stringify(theirs.answers || {})) { out.push("The answers differ."); }
    return out;
  }

  function showMessage(text, items, actions) {
    $("message-text").textContent = text;
    var list = $("message-list"), box = $("message-actions");
    clear(list);
    clear(box);
    (items || []).forEach(function (line) { list.appendChild(el("li", {}, line)); });
    (actions || []).forEach(function (a) {
      var b = el("button", { type: "button" }, a[0]);
      b.addEventListener("click", a[1]);
      box.appendChild(b);
    });
    $("message").hidden = false;
  }
  function hideMessage() { $("message").hidden = true; }

  // ---- choosing who and when ---------------------------------------------------

  function loadPeople() {
    return api("GET", "/api/people").then(function (r) {
      S.people = r.status === 200 ? r.data : [];
      var select = $("person");
      clear(select);
      select.appendChild(el("option", { value: "" }, "Choose\u2026"));
      S.people.forEach(function (p) {
        var label = p.name ? p.name + " (" + p.person_id + ")" : p.person_id;
        select.appendChild(el("option", { value: p.person_id }, label));
      });
      if (S.personId) { select.value = S.personId; }
    });
  }

  function choosePerson(pid, date) {
    S.personId = pid || null;
    S.person = null;
    S.map = null;
    S.date = null;
    S.dates = [];
    S.selected = null;
    S.undo = [];
    S.redo = [];
    S.positions = {};
    S.dropped = {};
    hideMessage();
    $("change-figure").hidden = true;
    $("person").value = pid || "";
    if (!pid) { updateDates(); render(); rememberPlace(); return Promise.resolve(); }
    return Promise.all([api("GET", personPath(pid)), api("GET", personPath(pid) + "/snapshots")]).then(function (rs) {
      if (pid !== S.personId) { return; }
      S.person = rs[0].status === 200 ? rs[0].data : { person_id: pid };
      S.dates = rs[1].status === 200 ? rs[1].data : [];
      updateDates();
      var known = S.dates.map(function (d) { return d.date; });
      var pick = date && known.indexOf(date) >= 0 ? date : (known.length ? known[known.length - 1] : null);
      if (pick) { return loadDate(pick); }
      render();
      rememberPlace();
    });
  }

  function updateDates() {
    var select = $("date"), from = $("change-from"), to = $("change-to");
    [select, from, to].forEach(clear);
    S.dates.forEach(function (d) {
      select.appendChild(el("option", { value: d.date }, longDate(d.date)));
      from.appendChild(el("option", { value: d.date }, longDate(d.date)));
      to.appendChild(el("option", { value: d.date }, longDate(d.date)));
    });
    select.disabled = !S.dates.length;
    if (S.date) { select.value = S.date; }
    if (S.dates.length) {
      from.value = S.dates[Math.max(0, S.dates.length - 2)].date;
      to.value = S.dates[S.dates.length - 1].date;
    }
    var start = $("start-today");
    start.disabled = !S.personId;
    start.textContent = S.dates.length ? "Start today's map from the last one" : "Start today's map";
    $("change-show").disabled = S.dates.length < 2;
  }

  function loadDate(date) {
    var pid = S.personId;
    return api("GET", snapPath(pid, date)).then(function (r) {
      if (pid !== S.personId) { return; }
      if (r.status !== 200) { showMessage("That map could not be opened.", [], []); return; }
      S.date = date;
      S.version = r.data.version;
      S.map = { connections: r.data.connections, ties: r.data.ties, answers: r.data.answers || {} };
      S.selected = null;
      S.undo = [];
      S.redo = [];
      S.positions = {};
      S.cells = {};
      S.dropped = {};
      S.curves = [];
      $("date").value = date;
      $("print").setAttribute("href", snapPath(pid, date) + "/map.pdf");
      status("");
      render();
      rememberPlace();
      return relayout();
    });
  }

  function rememberPlace() {
    var hash = S.personId ? "#person=" + encodeURIComponent(S.personId) + (S.date ? "&date=" + S.date : "") : "";
    history.replaceState(null, "", location.pathname + hash);
  }
  function placeFromAddress() {
    var out = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var kv = part.split("=");
      if (kv.length === 2) { out[kv[0]] = decodeURIComponent(kv[1]); }
    });
    return out;
  }

  function startToday() {
    if (!S.personId) { return; }
    var pid = S.personId, day = today();
    var known = S.dates.map(function (d) { return d.date; });
    if (known.indexOf(day) >= 0) {
      status("Today's map is already started", "saved");
      return loadDate(day);
    }
    var earlier = S.dates.filter(function (d) { return d.date < day; });
    var base = earlier.length ? earlier[earlier.length - 1].date : null;
    var ready = base ? api("GET", snapPath(pid, base)) : Promise.resolve({ status: 200, data: { connections: [], ties: [] } });
    status("Starting today's map\u2026");
    return ready.then(function (r) {
      if (r.status !== 200) { throw new Error("no base"); }
      return api("PUT", snapPath(pid, day), { connections: r.data.connections, ties: r.data.ties, answers: {} });
    }).then(function (r) {
      if (r.status === 200 || r.status === 409) {
        return api("GET", personPath(pid) + "/snapshots").then(function (s) {
          S.dates = s.data;
          updateDates();
          return loadDate(day).then(function () {
            status(base ? "Today's map starts from " + longDate(base) : "Today's map is started", "saved");
          });
        });
      }
      if (r.status === 422) { refused(r.data.problems || []); }
      else { showMessage("Today's map could not be started.", [], []); }
    }).catch(function () { showMessage("Today's map could not be started: socialcap serve is not answering.", [], []); });
  }

  function nextPersonId() {
    var ids = S.people.map(function (p) { return String(p.person_id); });
    var width = 3, most = 0;
    ids.forEach(function (id) {
      var m = /^P(\d+)$/.exec(id);
      if (m) { width = Math.max(width, m[1].length); most = Math.max(most, Number(m[1])); }
    });
    var n = most + 1, id;
    do { id = "P" + String(n).padStart(width, "0"); n += 1; } while (ids.indexOf(id) >= 0);
    return id;
  }

  function addPerson(event) {
    event.preventDefault();
    var name = $("p-name").value.trim();
    if (!name) { $("p-name").focus(); return; }
    var row = { name: name };
    if ($("p-ward").value.trim()) { row.ward = $("p-ward").value.trim(); }
    if ($("p-start").value) { row.start_date = $("p-start").value; }
    var pid = nextPersonId();
    api("PUT", personPath(pid), row).then(function (r) {
      if (r.status === 200) {
        $("person-dialog").close();
        $("person-form").reset();
        loadPeople().then(function () { return choosePerson(pid); }).then(function () {
          status("Added " + name, "saved");
          $("start-today").focus();
        });
      } else if (r.status === 422) {
        $("person-dialog").close();
        showMessage("This young person could not be added, because:", (r.data.problems || []).map(problemWords), []);
      }
    });
  }

  // ---- the selected connection -------------------------------------------------

  function findConnection(cid) {
    if (!S.map) { return null; }
    for (var i = 0; i < S.map.connections.length; i++) {
      if (String(S.map.connections[i].connection_id) === cid) { return S.map.connections[i]; }
    }
    return null;
  }
  function select(cid, focusPanel) {
    S.selected = cid;
    drawMarkers();
    drawEveryone();
    drawDetail();
    if (focusPanel && cid) { $("d-name").focus(); }
  }
  function change(cid, words, fn) {
    commit(function (map) {
      map.connections.forEach(function (c) { if (String(c.connection_id) === cid) { fn(c, map); } });
    }, words);
  }
  function setValue(c, column, value) {
    if (value === null || value === undefined || value === "") { delete c[column]; } else { c[column] = value; }
  }

  function choices(container, name, options, checked, onChange, type) {
    clear(container);
    options.forEach(function (o) {
      var label = el("label", { "class": type === "checkbox" ? "check" : "choice" });
      var input = el("input", { type: type || "radio", name: name, value: o[0] });
      input.checked = checked(o[0]);
      input.addEventListener("change", function () { onChange(o[0], input.checked); });
      label.appendChild(input);
      label.appendChild(el("span", {}, o[1]));
      container.appendChild(label);
    });
  }

  function drawDetail() {
    var panel = $("detail-panel"), c = S.selected ? findConnection(S.selected) : null;
    panel.hidden = !c;
    if (!c) { return; }
    var cid = String(c.connection_id), st = S.style;
    $("detail-title").textContent = nameOf(c);
    $("d-real-only").hidden = isHope(c);
    $("d-hope").hidden = !isHope(c);
    $("d-hope-words").textContent = "A hope: " + st.hope_words + ".";
    if (document.activeElement !== $("d-name")) { $("d-name").value = c.name === undefined || c.name === null ? "" : String(c.name); }
    choices($("d-ring"), "d-ring", [["1", "Closest"], ["2", "Close"], ["3", "Further out"]],
      function (v) { return String(ringOf(c)) === v && (c.closeness !== undefined || c.kind !== "person"); },
      function (v) { change(cid, nameOf(c) + " moved to " + st.closeness_labels[v], function (x) { x.closeness = Number(v); }); });
    var domain = $("d-domain");
    clear(domain);
    st.domains.forEach(function (d) { domain.appendChild(el("option", { value: d }, st.domain_labels[d])); });
    domain.value = c.domain;
    var contact = $("d-contact");
    clear(contact);
    contact.appendChild(el("option", { value: "" }, "Not said"));
    st.contact.forEach(function (k) { contact.appendChild(el("option", { value: k }, st.contact_labels[k])); });
    contact.value = c.contact || "";
    ["received", "given"].forEach(function (side) {
      var column = "support_" + side;
      var have = String(c[column] || "").split(";").filter(Boolean);
      choices($("d-" + side), "d-" + side, st.support_types.map(function (t) { return [t, st.support_labels[t]]; }),
        function (t) { return have.indexOf(t) >= 0; },
        function (t, on) {
          change(cid, nameOf(c) + ": " + (side === "given" ? "you give them " : "they give you ") + st.support_labels[t] + (on ? "" : " (taken off)"),
            function (x) {
              var now = String(x[column] || "").split(";").filter(Boolean);
              var next = st.support_types.filter(function (s) { return s === t ? on : now.indexOf(s) >= 0; });
              setValue(x, column, next.join(";"));
            });
        }, "checkbox");
    });
    $("d-paid").checked = !!c.paid;
    var ties = $("d-ties"), target = $("d-tie-target");
    clear(ties);
    clear(target);
    var linked = {};
    S.map.ties.forEach(function (t, i) {
      var other = String(t.source) === cid ? String(t.target) : String(t.target) === cid ? String(t.source) : null;
      if (other === null) { return; }
      linked[other] = true;
      var o = findConnection(other);
      var li = el("li", {}, o ? nameOf(o) : other);
      var remove = el("button", { type: "button" }, "Remove line");
      remove.setAttribute("aria-label", "Remove the line between " + nameOf(c) + " and " + (o ? nameOf(o) : other));
      remove.addEventListener("click", function () {
        commit(function (map) {
          map.ties = map.ties.filter(function (u) {
            return !((String(u.source) === cid && String(u.target) === other) || (String(u.source) === other && String(u.target) === cid));
          });
        }, "line between " + nameOf(c) + " and " + (o ? nameOf(o) : other) + " removed");
      });
      li.appendChild(remove);
      ties.appendChild(li);
    });
    if (!ties.firstChild) { ties.appendChild(el("li", { "class": "note" }, "No lines yet.")); }
    S.map.connections.forEach(function (o) {
      var oid = String(o.connection_id);
      if (oid !== cid && !linked[oid] && !isHope(o)) { target.appendChild(el("option", { value: oid }, nameOf(o))); }
    });
    $("d-tie-add").disabled = !target.firstChild;
  }

  function addTie(a, b) {
    var ca = findConnection(a), cb = findConnection(b);
    if (!ca || !cb || a === b || isHope(ca) || isHope(cb)) { return; }  // a hope is not yet anyone's tie
    commit(function (map) {
      var exists = map.ties.some(function (t) {
        return (String(t.source) === a && String(t.target) === b) || (String(t.source) === b && String(t.target) === a);
      });
      if (!exists) { map.ties.push({ source: a, target: b }); }
    }, "line drawn between " + nameOf(ca) + " and " + nameOf(cb));
  }

  function removeConnection(cid) {
    var c = findConnection(cid);
    if (!c) { return; }
    S.selected = null;
    commit(function (map) {
      map.connections = map.connections.filter(function (x) { return String(x.connection_id) !== cid; });
      map.ties = map.ties.filter(function (t) { return String(t.source) !== cid && String(t.target) !== cid; });
    }, nameOf(c) + " taken off the map");
  }

  // ---- moving: by dragging and by keyboard ---------------------------------------

  function moveTo(cid, ring, sector) {
    var c = findConnection(cid);
    if (!c) { return false; }
    var st = S.style, next = { closeness: ring, domain: c.domain, kind: c.kind };
    if (c.kind === "person") {
      if (sector.kind !== "person") {
        status("People stay in the people slices; groups and places have their own", "problem");
        return false;
      }
      next.domain = domainFor(sector, c.domain);
    } else if (sector.kind === "person") {
      next.domain = domainFor(sector, c.domain);  // a group keeps its slice; its part of life changes
    } else if (sector.kind !== c.kind) {
      next.kind = sector.kind;  // dragged between the Groups and Places slices
    }
    if (next.closeness === ringOf(c) && c.closeness !== undefined && next.domain === c.domain && next.kind === c.kind) { return false; }
    var words = nameOf(c) + " moved to " + (next.kind !== c.kind ? st.kind_labels[next.kind] + ", " : "") +
      st.domain_labels[next.domain] + ", " + st.closeness_labels[String(ring)];
    change(cid, words, function (x) { x.closeness = next.closeness; x.domain = next.domain; x.kind = next.kind; });
    return true;
  }

  function personSectors(kind) {
    return S.style.sectors.filter(function (s) { return kind === "person" ? s.kind === "person" : true; });
  }

  function keyMove(cid, key) {
    var c = findConnection(cid);
    if (!c) { return; }
    var ring = ringOf(c), st = S.style;
    if (key === "ArrowUp" && ring > 1) { moveTo(cid, ring - 1, sectorOf(c.kind, c.domain)); }
    else if (key === "ArrowDown" && ring < 3) { moveTo(cid, ring + 1, sectorOf(c.kind, c.domain)); }
    else if (key === "ArrowLeft" || key === "ArrowRight") {
      var step = key === "ArrowRight" ? 1 : -1;
      if (c.kind === "person") {
        var list = personSectors("person"), here = list.indexOf(sectorOf(c.kind, c.domain));
        moveTo(cid, ring, list[(here + step + list.length) % list.length]);
      } else {
        var domains = st.domains, at = domains.indexOf(c.domain), d = domains[(at + step + domains.length) % domains.length];
        change(cid, nameOf(c) + ": part of life " + st.domain_labels[d], function (x) { x.domain = d; });
      }
    }
  }

  function svgPoint(event) {
    var map = $("map"), point = map.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(map.getScreenCTM().inverse());
  }

  function bindMarker(g) {
    var drag = null;
    g.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      var p = svgPoint(event);
      drag = { x: p.x, y: p.y, moved: false, id: event.pointerId };
      g.setPointerCapture(event.pointerId);
      event.preventDefault();
      g.focus({ preventScroll: true });
    });
    g.addEventListener("pointermove", function (event) {
      if (!drag || event.pointerId !== drag.id) { return; }
      var p = svgPoint(event);
      if (!drag.moved && Math.hypot(p.x - drag.x, p.y - drag.y) < 8) { return; }
      drag.moved = true;
      g.classList.add("dragging");
      g.setAttribute("transform", "translate(" + p.x.toFixed(2) + " " + p.y.toFixed(2) + ")");
    });
    function finish(event, cancelled) {
      if (!drag || event.pointerId !== drag.id) { return; }
      var moved = drag.moved, cid = g.getAttribute("data-connection-id");
      drag = null;
      g.classList.remove("dragging");
      if (!moved || cancelled) {
        if (!cancelled) { select(cid, false); }
        drawMarkers();
        return;
      }
      var p = svgPoint(event), x = p.x / SCALE, y = -p.y / SCALE, r = Math.hypot(x, y);
      var e = S.style.ring_edges;
      if (r > e[3] + 0.6) { drawMarkers(); return; }
      var target = sectorAt(x, y), c = findConnection(cid);
      // A person stays in people slices, and a group or place in its own slice: only
      // there does the marker wait where it was dropped.
      if (c && (target.kind === c.kind || (c.kind !== "person" && target.kind !== "person"))) { S.dropped[cid] = [x, y]; }
      if (!moveTo(cid, ringAt(r), target)) { delete S.dropped[cid]; drawMarkers(); }
    }
    g.addEventListener("pointerup", function (event) { finish(event, false); });
    g.addEventListener("pointercancel", function (event) { finish(event, true); });
    g.addEventListener("keydown", function (event) {
      var cid = g.getAttribute("data-connection-id");
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); select(cid, true); }
      else if (/^Arrow/.test(event.key)) { event.preventDefault(); keyMove(cid, event.key); }
      else if (event.key === "Delete") { event.preventDefault(); removeConnection(cid); }
      else if (event.key === "Escape") { select(null, false); }
    });
  }

  // ---- the young person's own answers ------------------------------------------

  var UCLA_WORDS = {
    ucla_companionship: "How often do you feel that you lack companionship (people to be with)?",
    ucla_left_out: "How often do you feel left out?",
    ucla_isolated: "How often do you feel isolated from others (cut off)?"
  };
  var UCLA_ANSWERS = { 1: "Hardly ever", 2: "Some of the time", 3: "Often" };
  var ONS_WORDS = { often_always: "Often or always", some_of_the_time: "Some of the time", occasionally: "Occasionally",
                    hardly_ever: "Hardly ever", never: "Never" };

  function drawAnswers() {
    var box = $("answers"), look = JSON.stringify(S.map ? S.map.answers || {} : null);
    if (box.getAttribute("data-look") === look) { return; }
    box.setAttribute("data-look", look);
    clear(box);
    if (!S.map) { box.appendChild(el("p", { "class": "note" }, "Open a map first.")); return; }
    var answers = S.map.answers || {};
    function question(column, words, options) {
      var group = el("fieldset", { "class": "question" });
      group.appendChild(el("legend", {}, words));
      var row = el("div", { "class": "choices" });
      choices(row, "q-" + column, options.concat([["", "Rather not say"]]),
        function (v) { return String(answers[column] === undefined ? "" : answers[column]) === v; },
        function (v) {
          commit(function (map) {
            map.answers = map.answers || {};
            if (v === "") { delete map.answers[column]; } else { map.answers[column] = /^ucla/.test(column) ? Number(v) : v; }
          }, "answer to \u201c" + words + "\u201d");
        });
      group.appendChild(row);
      box.appendChild(group);
    }
    S.style.ucla_items.forEach(function (item) {
      question(item, UCLA_WORDS[item] || item, S.style.ucla_values.map(function (v) { return [String(v), UCLA_ANSWERS[v] || String(v)]; }));
    });
    question("ons_lonely", "How often do you feel lonely?", S.style.ons_lonely.map(function (v) { return [v, ONS_WORDS[v] || v]; }));
  }

  // ---- wiring --------------------------------------------------------------------

  function randomId() {
    var bytes = new Uint8Array(4);
    crypto.getRandomValues(bytes);
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return "C" + hex;
  }

  function setUpAddForm() {
    var st = S.style;
    choices($("add-kind"), "add-kind", st.kinds.map(function (k) { return [k, st.kind_labels[k].replace(/^an? /, "")]; }),
      function (k) { return k === "person"; }, function () {});
    var domain = $("add-domain");
    st.domains.forEach(function (d) { domain.appendChild(el("option", { value: d }, st.domain_labels[d])); });
    domain.value = "friend";
    choices($("add-ring"), "add-ring", [["1", "Closest"], ["2", "Close"], ["3", "Further out"]],
      function (v) { return v === "2"; }, function () {});
    $("add-form").addEventListener("submit", function (event) {
      event.preventDefault();
      if (!S.map) { return; }
      var name = $("add-name").value.trim();
      if (!name) { $("add-name").focus(); return; }
      var kind = document.querySelector("input[name=add-kind]:checked").value;
      var ring = Number(document.querySelector("input[name=add-ring]:checked").value);
      var d = domain.value, cid;
      do { cid = randomId(); } while (findConnection(cid));
      var hope = !!(event.submitter && event.submitter.id === "add-hope-button");
      var row = hope ? { connection_id: cid, kind: kind, name: name, domain: d, closeness: ring, hope: true }
        : { connection_id: cid, kind: kind, name: name, domain: d, closeness: ring, paid: d === "professional" };
      commit(function (map) { map.connections.push(row); },
        (hope ? "a hope added: " : "") + name + " added: " + st.domain_labels[d] + ", " + st.closeness_labels[String(ring)]);
      $("add-name").value = "";
      $("add-name").focus();
    });
  }

  function setUpDetail() {
    $("d-name").addEventListener("change", function () {
      var cid = S.selected, value = $("d-name").value.trim();
      if (!cid || !value) { return; }
      change(cid, "renamed to " + value, function (x) { x.name = value; });
    });
    $("d-domain").addEventListener("change", function () {
      var cid = S.selected, d = $("d-domain").value;
      change(cid, "part of life: " + S.style.domain_labels[d], function (x) { x.domain = d; });
    });
    $("d-contact").addEventListener("change", function () {
      var cid = S.selected, v = $("d-contact").value;
      change(cid, "in touch: " + (v ? S.style.contact_labels[v] : "not said"), function (x) { setValue(x, "contact", v); });
    });
    $("d-paid").addEventListener("change", function () {
      var cid = S.selected, on = $("d-paid").checked;
      change(cid, on ? "marked as paid" : "marked as not paid", function (x) { x.paid = on; });
    });
    $("d-happened").addEventListener("click", function () {
      var cid = S.selected, c = cid ? findConnection(cid) : null;
      if (!c || !isHope(c)) { return; }
      change(cid, "it happened: " + nameOf(c) + " is in your life now", function (x) { x.hope = false; });
    });
    $("d-tie-add").addEventListener("click", function () {
      var other = $("d-tie-target").value;
      if (S.selected && other) { addTie(S.selected, other); }
    });
    $("d-remove").addEventListener("click", function () { if (S.selected) { removeConnection(S.selected); $("add-name").focus(); } });
    $("d-close").addEventListener("click", function () {
      var cid = S.selected;
      select(null, false);
      if (cid && S.markers[cid]) { S.markers[cid].focus(); }
    });
  }

  function setUp() {
    setUpAddForm();
    setUpDetail();
    $("person").addEventListener("change", function () { choosePerson($("person").value); });
    $("date").addEventListener("change", function () { loadDate($("date").value); });
    $("start-today").addEventListener("click", startToday);
    $("undo").addEventListener("click", undo);
    $("redo").addEventListener("click", redo);
    $("add-person-open").addEventListener("click", function () { $("person-dialog").showModal(); $("p-name").focus(); });
    $("p-cancel").addEventListener("click", function () { $("person-dialog").close(); });
    $("person-form").addEventListener("submit", addPerson);
    $("change-show").addEventListener("click", function () {
      var from = $("change-from").value, to = $("change-to").value;
      if (!S.personId || !from || !to) { return; }
      var base = personPath(S.personId) + "/change.";
      var query = "?from=" + encodeURIComponent(from) + "&to=" + encodeURIComponent(to);
      $("change-img").setAttribute("alt", "Change map: what changed between " + longDate(from) + " and " + longDate(to));
      $("change-img").setAttribute("src", base + "svg" + query);
      $("change-pdf").setAttribute("href", base + "pdf" + query);
      $("change-figure").hidden = false;
      $("change-figure").scrollIntoView({ block: "nearest" });
    });
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName) && event.target.type !== "checkbox" && event.target.type !== "radio";
      if (typing || !(event.ctrlKey || event.metaKey)) { return; }
      var key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) { event.preventDefault(); undo(); }
      else if (key === "y" || (key === "z" && event.shiftKey)) { event.preventDefault(); redo(); }
    });
  }

  api("GET", "/api/map-style").then(function (r) {
    if (r.status !== 200) {
      showMessage("This page needs the address that socialcap serve printed (with its key). Open that address again.", [], []);
      return;
    }
    S.style = r.data;
    drawPaper();
    setUp();
    render();
    var place = placeFromAddress();
    return loadPeople().then(function () {
      var known = S.people.some(function (p) { return p.person_id === place.person; });
      return known ? choosePerson(place.person, place.date) : null;
    });
  }).then(function () {
    updateBusy();
    document.body.setAttribute("data-ready", "yes");
  });
})();
