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
    // Past this many table cells (two long versions), the changed middle is shown deleted and
    // inserted whole: the table grows with the product of the lengths and froze the page.
    var largestTable = 4000000;
    function render() {
      var a = words(texts[form.elements.from.value]), b = words(texts[form.elements.to.value]);
      var i, j, start = 0, endA = a.length, endB = b.length;
      output.textContent = "";
      function add(tag, text) {
        var node = tag ? document.createElement(tag) : document.createTextNode(text);
        if (tag) { node.textContent = text; }
        output.appendChild(node);
      }
      // The common start and end need no table.
      while (start < endA && start < endB && a[start] === b[start]) { start++; }
      while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
      for (i = 0; i < start; i++) { add(null, a[i]); }
      var n = endA - start, m = endB - start;
      if ((n + 1) * (m + 1) > largestTable) {
        if (n > 0) { add("del", a.slice(start, endA).join("")); }
        if (m > 0) { add("ins", b.slice(start, endB).join("")); }
      } else {
        // Longest common subsequence table of the changed middle.
        var table = [];
        for (i = 0; i <= n; i++) { table.push(new Uint32Array(m + 1)); }
        for (i = n - 1; i >= 0; i--) {
          for (j = m - 1; j >= 0; j--) {
            table[i][j] = a[start + i] === b[start + j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
          }
        }
        i = 0; j = 0;
        while (i < n || j < m) {
          if (i < n && j < m && a[start + i] === b[start + j]) { add(null, a[start + i]); i++; j++; }
          else if (i < n && (j >= m || table[i + 1][j] >= table[i][j + 1])) { add("del", a[start + i]); i++; }
          else { add("ins", b[start + j]); j++; }
        }
      }
      for (i = endA; i < a.length; i++) { add(null, a[i]); }
    }
    form.addEventListener("change", render);
    render();
  });
})();
