// Gongjiang's few behaviours (CSP allows only our own scripts: no inline handlers).
document.addEventListener("change", (e) => {
  const el = e.target;
  if (el.matches("select[data-autosubmit]")) el.form.requestSubmit();
});
document.addEventListener("submit", (e) => {
  const msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) e.preventDefault();
});
document.addEventListener("click", (e) => {
  const el = e.target.closest("[data-confirm]:not(form)");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) e.preventDefault();
});
// A freshly issued API token: select it on focus so it is easy to copy.
document.addEventListener("focusin", (e) => {
  if (e.target.matches("input[data-select-on-focus]")) e.target.select();
});
