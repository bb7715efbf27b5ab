// The compare form: choosing another indicator reloads the page for it, leaving out the old
// indicator's measure and regions (the new one may not have them). A file of its own, not an
// onchange attribute: the Content-Security-Policy runs no inline script.
(function () {
  const indicator = document.querySelector("#compare-form select[name=indicator]");
  if (!indicator) return;
  indicator.addEventListener("change", () => {
    indicator.form.querySelectorAll("[name=measure],[name=region]").forEach(e => { e.disabled = true; });
    indicator.form.submit();
  });
})();
