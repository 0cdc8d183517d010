// Results charts (ECharts): the analysis of marks per section and the participation by organisation.
// Data come from non-executable JSON blocks ({{ data|json_script }}), as the CSP allows no inline script.
(function () {
  "use strict";
  var RED = ["#c8161d", "#e8684a", "#f6bd16", "#5b8ff9", "#5ad8a6", "#6dc8ec", "#945fb9", "#ff9845", "#1e9493", "#ff99c3"];
  var charts = [];

  function readJSON(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function make(el, option) {
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  }

  function analysis(data) {
    document.querySelectorAll('[data-chart="analysis"]').forEach(function (el) {
      var section = data.sections[Number(el.getAttribute("data-section"))];
      if (!section) return;
      // On a phone the band labels are slanted: the axis names then keep clear of them and of the legend.
      var slanted = data.bins.length > 6 && el.clientWidth < 600;
      make(el, {
        color: RED,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { type: "scroll", top: 0 },
        grid: { left: 40, right: 16, top: 40, bottom: slanted ? 64 : 48, containLabel: true },
        xAxis: { type: "category", data: data.bins, name: data.labels.bin, nameLocation: "middle",
                 nameGap: slanted ? 52 : 30, axisLabel: { interval: 0, rotate: slanted ? 45 : 0 } },
        yAxis: { type: "value", name: data.labels.entrants, nameLocation: "middle", nameGap: 28, minInterval: 1 },
        series: section.aspects.map(function (a) {
          return { name: a.label, type: "bar", data: a.counts, emphasis: { focus: "series" } };
        })
      });
    });
  }

  function participation(data) {
    var el = document.querySelector('[data-chart="participation"]');
    if (!el) return;
    // Every organisation gets its row and its label: ECharts hides category labels that would overlap (it showed
    // every other city), so the chart grows with the rows and the labels are forced (interval 0).
    el.style.height = Math.max(240, 70 + data.orgs.length * 46) + "px";
    var narrow = el.clientWidth < 600;
    make(el, {
      color: ["#c8161d", "#5b8ff9", "#f6bd16"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.orgs.slice().reverse(),
               axisLabel: { interval: 0, width: narrow ? 88 : 160, overflow: "break", lineHeight: 14 } },
      series: [
        { name: data.labels.entries, type: "bar", data: data.entries.slice().reverse() },
        { name: data.labels.checked_in, type: "bar", data: data.checked_in.slice().reverse() },
        { name: data.labels.winners, type: "bar", data: data.winners.slice().reverse() }
      ]
    });
  }

  function start() {
    if (!window.echarts) return;
    var a = readJSON("analysis-data");
    if (a) analysis(a);
    var p = readJSON("participation-data");
    if (p) participation(p);
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
