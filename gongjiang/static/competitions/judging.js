// Judging pages (the CSP allows only our own scripts: no inline handlers).
(() => {
  "use strict";

  // Deduction counters: − / + change the count and fire "change", which saves the aspect over HTMX.
  document.addEventListener("click", (e) => {
    const button = e.target.closest("button[data-counter]");
    if (!button) return;
    const input = button.parentElement.querySelector("input[type=number]");
    if (!input) return;
    const next = Math.max(0, (parseInt(input.value, 10) || 0) + parseInt(button.dataset.counter, 10));
    if (String(next) === input.value) return;
    input.value = String(next);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // A refused mark answers 422 with the Chinese message: show it in place (htmx skips 4xx by default).
  document.addEventListener("htmx:beforeSwap", (e) => {
    if (e.detail.xhr && e.detail.xhr.status === 422) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  // A save that never reached the server (network lost): say so beside the aspect, keep the input.
  document.addEventListener("htmx:sendError", (e) => {
    const form = e.target.closest ? e.target.closest("form[data-autosave]") : null;
    const target = form && document.querySelector(form.getAttribute("hx-target"));
    if (!target) return;
    let p = target.querySelector(".error.offline");
    if (!p) {
      p = document.createElement("p");
      p.className = "error offline";
      p.setAttribute("role", "alert");
      target.prepend(p);
    }
    p.textContent = form.dataset.offline || "";
  });

  // 锁定所选 (form[data-confirm-count]): the ticked rows belong to the form through form="…" (each row holds forms of
  // its own). The button says how many are ticked and is off while none is; the confirmation says how many will be
  // locked. (The count follows the shared bulk-action markup of app.js: data-batch-item, data-batch-count.)
  const picked = (form) => document.querySelectorAll(`input[data-batch-item][form="${form.id}"]:checked`).length;
  function showCount(form) {
    const n = picked(form);
    form.querySelectorAll("[data-batch-count]").forEach((el) => { el.textContent = ` (${n})`; });
    form.querySelectorAll("button[data-batch-button]").forEach((b) => { b.disabled = n === 0; });
  }
  const countForms = () => document.querySelectorAll("form[data-confirm-count]").forEach(showCount);
  document.addEventListener("change", (e) => {
    const el = e.target;
    if (!el.matches || !el.matches("input[data-batch-item], input[data-batch-all]")) return;
    if (el.matches("input[data-batch-all]")) {
      document.querySelectorAll(`input[data-batch-item][form="${el.getAttribute("form")}"]`)
        .forEach((b) => { b.checked = el.checked; });
    }
    if (el.form && el.form.hasAttribute("data-confirm-count")) showCount(el.form);
  });
  // In the capture phase, before app.js reads data-confirm: the question names the number ticked now.
  document.addEventListener("submit", (e) => {
    const form = e.target;
    if (!form.hasAttribute || !form.hasAttribute("data-confirm-count")) return;
    const n = picked(form);
    if (n === 0) {
      e.preventDefault();
      e.stopImmediatePropagation();
      return;
    }
    form.setAttribute("data-confirm", form.getAttribute("data-confirm-count").replace("{n}", String(n)));
  }, true);
  document.addEventListener("htmx:afterSettle", countForms);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", countForms);
  else countForms();

  function readJSON(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function drawCharts() {
    if (typeof window.echarts === "undefined") return;
    const red = "#c8161d", grey = "#98a2b3";
    const charts = readJSON("judging-charts") || {};
    document.querySelectorAll("[data-chart=distribution]").forEach((el) => {
      const d = charts[el.dataset.key];
      if (!d) return;
      window.echarts.init(el).setOption({
        grid: { left: 48, right: 8, top: 30, bottom: 44 },
        legend: { top: 0, data: [d.mine_label, d.panel_label] },
        tooltip: { trigger: "axis", valueFormatter: (v) => v + "%" },
        xAxis: { type: "category", data: d.bands, axisLabel: { rotate: 45, fontSize: 10 } },
        yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
        series: [
          { name: d.mine_label, type: "bar", data: d.mine, itemStyle: { color: red } },
          { name: d.panel_label, type: "bar", data: d.panel, itemStyle: { color: grey } },
        ],
      });
    });
    const calibration = readJSON("calibration-chart");
    const el = document.querySelector("[data-chart=calibration]");
    if (calibration && el) {
      window.echarts.init(el).setOption({
        grid: { left: 90, right: 24, top: 30, bottom: 24 },
        title: { text: calibration.label, textStyle: { fontSize: 13, fontWeight: "normal" } },
        tooltip: { trigger: "axis", valueFormatter: (v) => (v === null ? "—" : v.toFixed(1)) },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: calibration.names, inverse: true },
        series: [{
          type: "bar", data: calibration.values,
          itemStyle: { color: (p) => (p.value >= 0 ? red : grey) },
          label: { show: true, position: "right", formatter: (p) => (p.value === null ? "" : p.value.toFixed(1)) },
        }],
      });
    }
    window.addEventListener("resize", () => {
      document.querySelectorAll("[data-chart]").forEach((c) => {
        const chart = window.echarts.getInstanceByDom(c);
        if (chart) chart.resize();
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawCharts);
  else drawCharts();
})();
