// 工作室统计: the charts of the studio figures page (ECharts), drawn from the JSON block the page carries
// (json_script #studio-chart-data): an element [data-studio-chart=KIND] draws one of the charts below.
(function () {
  const RED = "#c8161d", GREY = "#9aa4b1", GOLD = "#d4a017", GREEN = "#3b8a5a";

  function allZero(lists) {
    return lists.every(function (l) { return l.every(function (v) { return !Number(v); }); });
  }

  function emptyNote(text, lists) {
    if (!allZero(lists)) return [];
    return [{ type: "text", left: "center", top: "middle", style: { text: text, fill: "#5c6670", fontSize: 14 } }];
  }

  const tooltip = { trigger: "axis", axisPointer: { type: "shadow" } };
  const valueAxis = { type: "value", minInterval: 1 };

  const DRAW = {
    // The year's results at each level: excellent, pass, fail (stacked bars).
    results: function (d) {
      const colours = [GOLD, GREEN, RED];
      return {
        tooltip: tooltip, legend: { bottom: 0 }, grid: { left: 40, right: 16, top: 20, bottom: 50 },
        graphic: emptyNote(d.empty, d.series.map(function (s) { return s.values; })),
        xAxis: { type: "category", data: d.levels }, yAxis: valueAxis,
        series: d.series.map(function (s, i) {
          return { name: s.name, type: "bar", stack: "results", data: s.values, itemStyle: { color: colours[i] } };
        }),
      };
    },
    // The last five years: studios recognised and revoked.
    years: function (d) {
      const recognised = d.years.map(function (y) { return y.recognised; });
      const revoked = d.years.map(function (y) { return y.revoked; });
      return {
        tooltip: tooltip, legend: { bottom: 0 }, grid: { left: 40, right: 16, top: 20, bottom: 50 },
        graphic: emptyNote(d.empty, [recognised, revoked]),
        xAxis: { type: "category", data: d.years.map(function (y) { return String(y.year); }) }, yAxis: valueAxis,
        series: [{ name: d.recognised_name, type: "bar", data: recognised, itemStyle: { color: GREY } },
                 { name: d.revoked_name, type: "bar", data: revoked, itemStyle: { color: RED } }],
      };
    },
  };

  function draw() {
    const source = document.getElementById("studio-chart-data");
    if (!source || !window.echarts) return;
    const data = JSON.parse(source.textContent);
    document.querySelectorAll("[data-studio-chart]").forEach(function (el) {
      const kind = el.getAttribute("data-studio-chart");
      if (!DRAW[kind]) return;
      const chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(DRAW[kind](data));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
