// Small behaviours every page shares (no inline scripts: the Content-Security-Policy forbids them).
(function () {
  // Focus the error summary so that a screen reader reads it first after a refused form.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
  // A confirmation before an action that cannot be undone.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
  // Selects that submit their form when changed (the language switcher).
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
  });
})();
// Keep the comparison to its maximum: a further box cannot be ticked (the boxes carry the number).
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("[data-compare]")) return;
  var max = parseInt(box.dataset.compare, 10) || 4;
  if (document.querySelectorAll("[data-compare]:checked").length > max) {
    box.checked = false;
    var note = document.getElementById("compare-note");
    if (note) note.textContent = "比較できるのは" + max + "件までです。";
  }
});
