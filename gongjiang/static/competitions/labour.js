// Labour competitions: the score trend per unit (ECharts), drawn from the JSON block the page carries.
(function () {
  function drawTrend() {
    const el = document.getElementById("lc-trend");
    const data = document.getElementById("lc-trend-data");
    if (!el || !data || !window.echarts) return;
    const chart = JSON.parse(data.textContent);
    const plot = window.echarts.init(el);
    plot.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 40, right: 36, top: 40, bottom: 30 },
      xAxis: { type: "category", data: chart.periods, boundaryGap: false },
      yAxis: { type: "value", name: chart.score, min: function (v) { return Math.max(0, Math.floor(v.min / 10) * 10); }, max: 100 },
      series: chart.series.map(function (s) {
        return { name: s.name, type: "line", connectNulls: false, symbolSize: 7,
                 data: s.data.map(function (v) { return v === null ? null : Number(v); }) };
      }),
    });
    window.addEventListener("resize", function () { plot.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawTrend);
  else drawTrend();
})();
// The indicator table: the total of the weights, kept up to date while typing (it must be 100).
document.addEventListener("input", function (e) {
  if (!e.target.matches || !e.target.matches("input[name$='-weight']")) return;
  const out = document.getElementById("lc-weight-total");
  if (!out) return;
  let total = 0;
  document.querySelectorAll("input[name$='-weight']").forEach(function (input) {
    const n = parseInt(input.value, 10);
    if (!Number.isNaN(n)) total += n;
  });
  out.textContent = String(total);
  out.style.color = total === 100 ? "" : "var(--err)";
});
