// The status page: fetches the instance's JSON documents every REFRESH_MS and draws them with uPlot.
// Each chart's element carries data-points (the number of points drawn) so that tests can tell a drawn chart.
"use strict";

const REFRESH_MS = 5000;
const COLORS = ["#2c6fbb", "#e67e22", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d35400"];
const EVENT_COLORS = { promoted: "#2e8b57", rejected: "#e67e22", drift: "#c0392b", failed: "#7f0000",
  model: "#2c6fbb", refused: "#9b59b6" };
const plots = [];

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) {
    throw new Error(path + " answered " + response.status);
  }
  return response.json();
}

// Numbers as a person reads them: thousands separated, fractions to three significant places.
function human(value) {
  if (value === null || value === undefined) {
    return "–";
  }
  if (typeof value === "boolean") {
    return value ? "yes" : "no";
  }
  if (typeof value === "number") {
    if (!isFinite(value)) {
      return "–";
    }
    if (Number.isInteger(value)) {
      return value.toLocaleString("en-US");
    }
    const abs = Math.abs(value);
    if (abs >= 100) {
      return value.toLocaleString("en-US", { maximumFractionDigits: 1 });
    }
    return value.toLocaleString("en-US", { maximumSignificantDigits: 3 });
  }
  if (Array.isArray(value)) {
    return value.map(human).join(", ");
  }
  if (typeof value === "object") {
    return Object.entries(value).map(([k, v]) => words(k) + " " + human(v)).join(", ");
  }
  return String(value).replace(ISO_TIME, iso => shortTime(Date.parse(iso)));
}

const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g;

// A time of today as 12:23:27, of another day as 2026-12-04 12:23.
function shortTime(ms) {
  const t = new Date(ms);
  const now = new Date();
  if (t.toDateString() === now.toDateString()) {
    return clockTime(ms);
  }
  return t.toISOString().slice(0, 10) + " " + clockTime(ms).slice(0, 5);
}

function words(key) {
  return String(key).replace(/_/g, " ");
}

function duration(seconds) {
  if (seconds < 90) {
    return Math.round(seconds) + " s";
  }
  if (seconds < 5400) {
    return Math.round(seconds / 60) + " min";
  }
  return (seconds / 3600).toFixed(1) + " h";
}

function clockTime(ms) {
  return new Date(ms).toLocaleTimeString("en-GB", { hour12: false });
}

function element(tag, attributes, text) {
  const e = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([k, v]) => e.setAttribute(k, v));
  if (text !== undefined) {
    e.textContent = text;
  }
  return e;
}

function drawStatus(status) {
  document.getElementById("title").textContent = status.title;
  document.title = status.title + (status.ready ? "" : " (not ready)");
  const badges = document.getElementById("readiness");
  badges.replaceChildren(...status.roles.map(role => element("span",
    { class: role.ready ? "badge-ready" : "badge-not-ready", title: role.not_ready_reason || "ready" },
    role.name + ": " + (role.ready ? "ready" : "not ready: " + role.not_ready_reason))));
  document.getElementById("meta").textContent = "up " + duration(status.uptime_seconds)
    + " · page updated " + clockTime(Date.parse(status.now));
  const cards = [];
  status.roles.forEach(role => Object.entries(role.cards).forEach(([title, facts]) => {
    const card = element("div", { class: "card" });
    const heading = element("h3", {}, title + " ");
    heading.appendChild(element("small", {}, role.name));
    card.appendChild(heading);
    const table = element("table");
    Object.entries(facts).forEach(([k, v]) => {
      const row = element("tr");
      row.appendChild(element("td", {}, words(k)));
      row.appendChild(element("td", {}, human(v)));
      table.appendChild(row);
    });
    card.appendChild(table);
    cards.push(card);
  }));
  document.getElementById("cards").replaceChildren(...cards);
}

function markEvents(events) {
  return u => {
    const ctx = u.ctx;
    const [min, max] = [u.scales.x.min, u.scales.x.max];
    events.forEach(e => {
      const t = e.time / 1000;
      if (t < min || t > max) {
        return;
      }
      const x = Math.round(u.valToPos(t, "x", true));
      ctx.save();
      ctx.strokeStyle = EVENT_COLORS[e.kind] || "#555";
      ctx.lineWidth = 2 * devicePixelRatio;
      ctx.setLineDash(e.kind === "drift" ? [6, 4] : []);
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.restore();
    });
  };
}

function plotWidth(container) {
  return Math.max(320, container.clientWidth - 20);
}

function drawLineChart(container, chart, times, events) {
  const box = element("div", { class: "chart", id: "chart-" + chart.role + "-" + chart.id, "data-chart": chart.id });
  box.appendChild(element("h3", {}, chart.title + (chart.unit ? " (" + chart.unit + ")" : "")));
  container.appendChild(box);
  const points = chart.lines.reduce((n, line) => n + line.values.filter(v => v !== null).length, 0);
  box.setAttribute("data-points", String(points));
  if (points === 0) {
    box.appendChild(element("div", { class: "empty" }, "no data yet"));
    return;
  }
  const data = [times.map(t => t / 1000), ...chart.lines.map(line => line.values)];
  const series = [{}, ...chart.lines.map((line, i) => ({
    label: line.label, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: false,
    points: { show: line.values.filter(v => v !== null).length < 40 },
    value: (u, v) => human(v)
  }))];
  const options = {
    width: plotWidth(container) / Math.max(1, Math.floor(container.clientWidth / 580)), height: 220,
    series: series,
    axes: [{}, { values: (u, ticks) => ticks.map(human), size: 60 }],
    hooks: chart.events ? { draw: [markEvents(events)] } : {}
  };
  plots.push(new uPlot(options, data, box));
}

function drawDistribution(container, distribution) {
  const box = element("div", { class: "chart", id: "distribution-" + distribution.id, "data-chart": distribution.id });
  box.appendChild(element("h3", {}, distribution.title));
  container.appendChild(box);
  const groups = distribution.groups.filter(g => g.count > 0);
  const points = groups.reduce((n, g) => n + g.fractions.length, 0);
  box.setAttribute("data-points", String(points));
  if (groups.length === 0) {
    box.appendChild(element("div", { class: "empty" }, "no data yet"));
    return;
  }
  const bounds = distribution.bounds;
  const step = bounds.length > 1 ? bounds[1] - bounds[0] : 1;
  // Bucket i holds values up to bounds[i]; drawn at its middle. The first and last are open-ended.
  const xs = bounds.map(b => b - step / 2).concat([bounds[bounds.length - 1] + step / 2]);
  const data = [xs, ...groups.map(g => g.fractions.map(f => f * 100))];
  const series = [{ label: distribution.x_label, value: (u, v) => human(v) },
    ...groups.map((g, i) => ({ label: g.name + " (" + human(g.count) + ")", stroke: COLORS[i % COLORS.length],
      width: 2, value: (u, v) => v === null ? "–" : human(v) + " %" }))];
  const options = {
    width: plotWidth(container) / Math.max(1, Math.floor(container.clientWidth / 580)), height: 220,
    scales: { x: { time: false } }, series: series,
    axes: [{ label: distribution.x_label }, { values: (u, ticks) => ticks.map(t => human(t) + " %"), size: 60 }]
  };
  plots.push(new uPlot(options, data, box));
}

function drawEvents(events) {
  const rows = events.slice().reverse().slice(0, 50).map(e => {
    const row = element("tr");
    row.appendChild(element("td", {}, clockTime(e.time)));
    const what = element("td", {});
    what.appendChild(element("span", { class: "mark " + e.kind }, e.title));
    row.appendChild(what);
    row.appendChild(element("td", {}, human(e.detail)));
    return row;
  });
  if (rows.length === 0) {
    const row = element("tr");
    row.appendChild(element("td", { colspan: "3" }, "nothing yet"));
    rows.push(row);
  }
  document.querySelector("#events tbody").replaceChildren(...rows);
}

async function refresh() {
  try {
    const [status, series, events, distributions] = await Promise.all([getJson("/api/status"),
      getJson("/api/series"), getJson("/api/events"), getJson("/api/distributions")]);
    drawStatus(status);
    plots.splice(0).forEach(p => p.destroy());
    const charts = document.getElementById("charts");
    charts.replaceChildren();
    series.charts.forEach(chart => drawLineChart(charts, chart, series.time, events.events));
    const histograms = document.getElementById("distributions");
    histograms.replaceChildren();
    distributions.distributions.forEach(d => drawDistribution(histograms, d));
    drawEvents(events.events);
    document.body.setAttribute("data-loaded", "true");
    document.body.removeAttribute("data-error");
  } catch (e) {
    document.body.setAttribute("data-error", String(e));
    document.getElementById("meta").textContent = "cannot reach the instance: " + e.message;
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
