// 创新统计: the charts of the figures page and of the overview's innovation panel (ECharts), each drawn from the
// JSON block the page carries (json_script): an element [data-figures-chart=KIND][data-source=ID] draws
// JSON(ID)[KIND]. Numbers are grouped (1,234), money comes in 万元 from the server.
(function () {
  const RED = "#c8161d", GREY = "#9aa4b1", GOLD = "#d4a017", SILVER = "#8c96a3", BRONZE = "#b0704a";

  function fmt(v) {
    if (v === null || v === undefined || v === "") return "—";
    return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }

  function allZero(lists) {
    return lists.every(function (l) { return l.every(function (v) { return !Number(v); }); });
  }

  // A word in the middle of a chart that has nothing to show.
  function emptyNote(text, lists) {
    if (!allZero(lists)) return [];
    return [{ type: "text", left: "center", top: "middle", style: { text: text, fill: "#5c6670", fontSize: 14 } }];
  }

  const tooltip = { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmt };
  const valueAxis = { type: "value", minInterval: 1, axisLabel: { formatter: fmt } };

  const DRAW = {
    // The last five years: proposals submitted and adopted (bars), the net benefit in 万元 (line, right axis).
    years: function (d, all) {
      return {
        tooltip: tooltip, legend: { bottom: 0 }, grid: { left: 50, right: 60, top: 36, bottom: 56 },
        graphic: emptyNote(all.empty, [d.submitted, d.adopted, d.benefit]),
        xAxis: { type: "category", data: d.labels },
        yAxis: [Object.assign({ name: d.count_axis }, valueAxis),
                { type: "value", name: d.money_axis, splitLine: { show: false }, axisLabel: { formatter: fmt } }],
        series: [
          { name: d.submitted_name, type: "bar", data: d.submitted, itemStyle: { color: GREY } },
          { name: d.adopted_name, type: "bar", data: d.adopted, itemStyle: { color: RED } },
          { name: d.benefit_name, type: "line", yAxisIndex: 1, data: d.benefit, symbolSize: 7,
            itemStyle: { color: GOLD } },
        ],
      };
    },
    // This year's projects reaching each stage.
    stages: function (d, all) {
      return {
        tooltip: tooltip, grid: { left: 40, right: 16, top: 20, bottom: 50 },
        graphic: emptyNote(all.empty, [d.values]),
        xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: 30 } },
        yAxis: valueAxis,
        series: [{ name: d.name, type: "bar", data: d.values, itemStyle: { color: RED },
                   label: { show: true, position: "top", formatter: function (p) { return p.value ? fmt(p.value) : ""; } } }],
      };
    },
    // This year's prizes by level.
    awards: function (d, all) {
      const colours = [GOLD, SILVER, BRONZE];
      return {
        tooltip: tooltip, grid: { left: 40, right: 16, top: 20, bottom: 30 },
        graphic: emptyNote(all.empty, [d.values]),
        xAxis: { type: "category", data: d.labels },
        yAxis: valueAxis,
        series: [{ name: d.name, type: "bar", barMaxWidth: 60,
                   data: d.values.map(function (v, i) { return { value: v, itemStyle: { color: colours[i] } }; }),
                   label: { show: true, position: "top", formatter: function (p) { return fmt(p.value); } } }],
      };
    },
    // The units directly below: a bar each (longest names on the left), a click opens the unit's own figures.
    children: function (d, all, el, plot) {
      el.style.height = Math.max(220, d.labels.length * 30 + 70) + "px";
      plot.resize();
      plot.on("click", function (p) {
        const i = p.dataIndex !== undefined ? p.dataIndex : d.labels.indexOf(p.value);  // a bar, or a unit's name
        const url = d.urls[i];
        if (url) window.location.href = url;
      });
      return {
        tooltip: tooltip, legend: { top: 0 }, grid: { left: 10, right: 40, top: 36, bottom: 10, containLabel: true },
        graphic: emptyNote(all.empty, [d.submitted, d.adopted]),
        yAxis: { type: "category", data: d.labels, inverse: true, triggerEvent: true,
                 axisLabel: { color: "#0b57d0", width: 160, overflow: "truncate" } },
        xAxis: valueAxis,
        series: [
          { name: d.submitted_name, type: "bar", data: d.submitted, itemStyle: { color: GREY }, cursor: "pointer" },
          { name: d.adopted_name, type: "bar", data: d.adopted, itemStyle: { color: RED }, cursor: "pointer" },
        ],
      };
    },
    // The overview's panel: this year beside last year, a pair of bars per figure.
    compare: function (d, all) {
      return {
        tooltip: tooltip, legend: { top: 0 }, grid: { left: 40, right: 16, top: 34, bottom: 30 },
        graphic: emptyNote(all.empty, [d.now, d.before]),
        xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0 } },
        yAxis: valueAxis,
        series: [
          { name: d.before_name, type: "bar", data: d.before, itemStyle: { color: GREY } },
          { name: d.now_name, type: "bar", data: d.now, itemStyle: { color: RED } },
        ],
      };
    },
  };

  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-figures-chart]").forEach(function (el) {
      const source = document.getElementById(el.dataset.source);
      const kind = el.dataset.figuresChart;
      if (!source || !DRAW[kind]) return;
      const all = JSON.parse(source.textContent);
      const plot = window.echarts.init(el);
      plot.setOption(DRAW[kind](all[kind], all, el, plot));
      window.addEventListener("resize", function () { plot.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
