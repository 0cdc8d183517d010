// 荣誉获得者名册: the charts of the roster's statistics and of the overview's honours panel (ECharts), each drawn from
// the JSON block the page carries (json_script): an element [data-roster-chart=KIND][data-source=ID] draws
// JSON(ID)[KIND] as horizontal bars (holders, alive, active) per city, industry union or honour.
(function () {
  const COLOURS = ["#c8161d", "#d4a017", "#5b8def", "#2e7d32"];

  function fmt(v) { return Number(v || 0).toLocaleString("zh-CN"); }

  function draw(el) {
    const all = JSON.parse(document.getElementById(el.dataset.source).textContent);
    const d = all[el.dataset.rosterChart];
    if (!d || !window.echarts || el.dataset.drawn) return;
    el.dataset.drawn = "1";
    const keys = d.keys || ["holders", "alive", "active"];
    const empty = keys.every(function (k) { return (d[k] || []).every(function (v) { return !v; }); });
    el.style.height = Math.max(200, d.labels.length * (keys.length > 1 ? 34 : 26) + 70) + "px";
    const plot = window.echarts.init(el);
    plot.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmt },
      legend: keys.length > 1 ? { top: 0 } : undefined,
      grid: { left: 10, right: 40, top: keys.length > 1 ? 30 : 10, bottom: 10, containLabel: true },
      graphic: empty ? [{ type: "text", left: "center", top: "middle",
                          style: { text: all.empty, fill: "#5c6670", fontSize: 14 } }] : [],
      yAxis: { type: "category", data: d.labels, inverse: true, axisLabel: { width: 160, overflow: "truncate" } },
      xAxis: { type: "value", minInterval: 1, axisLabel: { formatter: fmt } },
      series: keys.map(function (k, i) {
        return { name: (d.names || all.names)[i], type: "bar", data: d[k], itemStyle: { color: COLOURS[i] },
                 label: { show: keys.length === 1, position: "right", formatter: function (p) { return fmt(p.value); } } };
      }),
    });
    window.addEventListener("resize", function () { plot.resize(); });
  }

  function init() { document.querySelectorAll("[data-roster-chart]").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
