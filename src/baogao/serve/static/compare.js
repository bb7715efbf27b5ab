// A form that picks an indicator (compare, one year, targets) reloads when the indicator changes,
// leaving out the fields its data-drop names (a measure, regions, a year: the new indicator may
// not have them). A file of its own, not an onchange attribute: the Content-Security-Policy runs
// no inline script.
(function () {
  document.querySelectorAll("form[data-drop]").forEach((form) => {
    const indicator = form.querySelector("select[name=indicator]");
    if (!indicator) return;
    const dropped = form.dataset.drop.split(" ").filter(Boolean);
    indicator.addEventListener("change", () => {
      dropped.forEach((name) => form.querySelectorAll(`[name=${name}]`).forEach((e) => { e.disabled = true; }));
      form.submit();
    });
  });
})();
