// promptsite: small enhancements; every page works without this script.
(function () {
  "use strict";

  // Catalog: filter families by text and prompt type, live.
  document.querySelectorAll("form[data-filter]").forEach(function (form) {
    form.hidden = false;
    var rows = Array.prototype.slice.call(document.querySelectorAll("table.families tbody tr"));
    var query = form.elements.q, type = form.elements.type, count = form.elements.count;
    function apply() {
      var words = query.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.getAttribute("data-search") || "";
        var ok = (!type.value || row.getAttribute("data-type") === type.value) &&
          words.every(function (word) { return text.indexOf(word) !== -1; });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.value = shown + " of " + rows.length;
    }
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var params = new URLSearchParams(location.search);
    if (params.get("q")) { query.value = params.get("q"); }
    apply();
  });

  // Version pages: side-by-side and inline diffs become tabs.
  document.querySelectorAll("[data-tabs]").forEach(function (box) {
    var tabs = box.querySelectorAll(".tab"), views = box.querySelectorAll(".diff-view");
    var bar = document.createElement("div");
    bar.setAttribute("role", "tablist");
    tabs.forEach(function (tab) { bar.appendChild(tab); });
    box.insertBefore(bar, box.firstChild);
    box.classList.add("tabbed");
    function select(index) {
      tabs.forEach(function (tab, i) { tab.setAttribute("aria-selected", String(i === index)); });
      views.forEach(function (view, i) { view.hidden = i !== index; });
    }
    tabs.forEach(function (tab, i) {
      tab.setAttribute("role", "tab");
      tab.tabIndex = 0;
      tab.addEventListener("click", function () { select(i); });
      tab.addEventListener("keydown", function (event) { if (event.key === "Enter" || event.key === " ") { select(i); } });
    });
    select(window.matchMedia("(max-width: 40rem)").matches ? 1 : 0);
  });
})();
