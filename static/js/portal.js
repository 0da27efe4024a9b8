// Small behaviours every page shares (no inline scripts: the Content-Security-Policy forbids them).
(function () {
  // Focus the error summary so that a screen reader reads it first after a refused form.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
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
// Phones: the menu button opens and closes the main menu (without JavaScript the menu is
// always shown); tables with a head reflow into one card per row, each cell labelled.
(function () {
  document.documentElement.classList.add("js");
  var header = document.querySelector("header.site");
  var button = document.querySelector(".menu-button");
  if (header && button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = header.classList.toggle("menu-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  document.querySelectorAll("main table").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    if (!heads.length) return;
    var labels = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        if (cell.tagName === "TD" && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", labels[column] || "");
        }
        column += cell.colSpan || 1;
      });
    });
    table.classList.add("reflow");
  });
})();
