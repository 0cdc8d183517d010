// 统计: the dashboard's charts and the home panel's (ECharts), each drawn from the JSON block the page carries
// (json_script): [data-stats-chart=trend] draws JSON.trend as lines (one per metric, the legend toggles them);
// [data-stats-chart=breakdown] draws JSON.breakdown as bars, a click on a bar opening that unit's dashboard.
(function () {
  const COLOURS = ["#c8161d", "#d4a017", "#5b8def", "#2e7d32", "#7b3fa0", "#00838f", "#ef6c00", "#5c6670"];

  function fmt(v) { return Number(v || 0).toLocaleString("zh-CN"); }

  function emptyText(all, empty) {
    return empty ? [{ type: "text", left: "center", top: "middle",
                      style: { text: all.empty, fill: "#5c6670", fontSize: 14 } }] : [];
  }

  function trend(el, all) {
    const d = all.trend;
    const empty = d.series.every(function (s) { return s.data.every(function (v) { return !v; }); });
    const plot = window.echarts.init(el);
    plot.setOption({
      color: COLOURS,
      tooltip: { trigger: "axis", valueFormatter: fmt },
      legend: { top: 0, type: "scroll" },
      grid: { left: 10, right: 30, top: 36, bottom: 10, containLabel: true },
      graphic: emptyText(all, empty),
      xAxis: { type: "category", data: d.labels, boundaryGap: false },
      yAxis: { type: "value", axisLabel: { formatter: fmt } },
      series: d.series.map(function (s) {
        return { name: s.name, type: "line", data: s.data, symbolSize: 6 };
      }),
    });
    return plot;
  }

  function breakdown(el, all) {
    const d = all.breakdown;
    const empty = d.data.every(function (v) { return !v; });
    el.style.height = Math.max(200, d.labels.length * 28 + 60) + "px";
    const plot = window.echarts.init(el);
    plot.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmt },
      grid: { left: 10, right: 60, top: 24, bottom: 10, containLabel: true },
      graphic: emptyText(all, empty),
      title: { text: d.name, left: 0, top: 0, textStyle: { fontSize: 13, fontWeight: "normal" } },
      yAxis: { type: "category", data: d.labels, inverse: true, triggerEvent: true,
               axisLabel: { width: 180, overflow: "truncate", color: "#175cd3" } },
      xAxis: { type: "value", axisLabel: { formatter: fmt } },
      series: [{ name: d.name, type: "bar", data: d.data, itemStyle: { color: COLOURS[0] }, cursor: "pointer",
                 label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); } } }],
    });
    plot.on("click", function (p) {
      const i = p.componentType === "yAxis" ? d.labels.indexOf(p.value) : p.dataIndex;
      if (i >= 0 && d.urls[i]) window.location.href = d.urls[i];
    });
    return plot;
  }

  function draw(el) {
    if (!window.echarts || el.dataset.drawn) return;
    el.dataset.drawn = "1";
    const all = JSON.parse(document.getElementById(el.dataset.source).textContent);
    const plot = el.dataset.statsChart === "breakdown" ? breakdown(el, all) : trend(el, all);
    window.addEventListener("resize", function () { plot.resize(); });
  }

  function init() { document.querySelectorAll("[data-stats-chart]").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
