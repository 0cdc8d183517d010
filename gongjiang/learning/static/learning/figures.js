// 学习统计: the trend charts of the learning figures page and of the home panel (ECharts), drawn from the JSON
// block named by the element's data-source (json_script): an element [data-learning-chart=trend] draws the
// series over the days (or months) of the period; [data-learning-chart=spark] a small one without axes' names.
(function () {
  const COLOURS = ["#c8161d", "#3b8a5a", "#d4a017", "#4a6fa5"];

  function allZero(series) {
    return series.every(function (s) { return s.values.every(function (v) { return !Number(v); }); });
  }

  function option(d, small) {
    return {
      color: COLOURS,
      tooltip: { trigger: "axis" },
      legend: small ? undefined : { bottom: 0 },
      grid: small ? { left: 36, right: 8, top: 10, bottom: 24 } : { left: 48, right: 16, top: 20, bottom: 50 },
      graphic: allZero(d.series) ? [{ type: "text", left: "center", top: "middle",
        style: { text: d.empty, fill: "#5c6670", fontSize: 14 } }] : [],
      xAxis: { type: "category", data: d.days, boundaryGap: false },
      yAxis: { type: "value", minInterval: 1 },
      series: (small ? d.series.slice(0, 2) : d.series).map(function (s) {
        return { name: s.name, type: "line", data: s.values, showSymbol: d.days.length < 40, smooth: false };
      }),
    };
  }

  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-learning-chart]").forEach(function (el) {
      const source = document.getElementById(el.getAttribute("data-source"));
      if (!source) return;
      const data = JSON.parse(source.textContent);
      const chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(data, el.getAttribute("data-learning-chart") === "spark"));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
