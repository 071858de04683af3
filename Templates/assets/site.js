// promptsite: small enhancements; every page works without this script.
(function () {
  "use strict";

  // Lists (families, action blocks): filter the rows of `table.<data-filter>` by text and type, live.
  document.querySelectorAll("form[data-filter]").forEach(function (form) {
    form.hidden = false;
    var rows = Array.prototype.slice.call(document.querySelectorAll("table." + form.getAttribute("data-filter") + " tbody tr"));
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
  // Family pages: a word diff of any two versions, computed here from the embedded texts.
  document.querySelectorAll("[data-compare]").forEach(function (box) {
    var texts = JSON.parse(box.querySelector(".versions-data").textContent);
    var form = box.querySelector("form"), output = box.querySelector(".compare-output");
    box.hidden = false;
    form.elements.from.selectedIndex = Math.min(1, form.elements.from.options.length - 1);
    function words(text) { return text.match(/[\p{L}\p{N}_']+|\s+|[^\p{L}\p{N}_'\s]/gu) || []; }
    function render() {
      var a = words(texts[form.elements.from.value]), b = words(texts[form.elements.to.value]);
      var n = a.length, m = b.length, i, j;
      // Longest common subsequence table; prompts are short enough for O(n·m).
      var table = [];
      for (i = 0; i <= n; i++) { table.push(new Uint32Array(m + 1)); }
      for (i = n - 1; i >= 0; i--) {
        for (j = m - 1; j >= 0; j--) {
          table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
        }
      }
      output.textContent = "";
      function add(tag, text) {
        var node = tag ? document.createElement(tag) : document.createTextNode(text);
        if (tag) { node.textContent = text; }
        output.appendChild(node);
      }
      i = 0; j = 0;
      while (i < n || j < m) {
        if (i < n && j < m && a[i] === b[j]) { add(null, a[i]); i++; j++; }
        else if (i < n && (j >= m || table[i + 1][j] >= table[i][j + 1])) { add("del", a[i]); i++; }
        else { add("ins", b[j]); j++; }
      }
    }
    form.addEventListener("change", render);
    render();
  });
})();
