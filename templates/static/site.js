// Optional comforts; every page works without this file.
// - Article pages: keys j and k step to the next and previous claim; "Copy link" buttons;
//   on wide screens a paragraph stays in view while the reader goes through its notes.
// - Fact sheet: the table sorts by a column when its header is pressed.
"use strict";

(function () {
  function claims() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-claim][id^='claim-']"));
  }

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])"));
  }

  function step(forward) {
    var list = claims();
    if (!list.length) return;
    var current = list.findIndex(function (el) { return "#" + el.id === location.hash; });
    var next;
    if (current >= 0) {
      next = forward ? Math.min(current + 1, list.length - 1) : Math.max(current - 1, 0);
    } else if (forward) {
      next = list.findIndex(function (el) { return el.getBoundingClientRect().top > 1; });
      if (next < 0) next = list.length - 1;
    } else {
      next = -1;
      list.forEach(function (el, i) { if (el.getBoundingClientRect().top < 0) next = i; });
      if (next < 0) next = 0;
    }
    location.hash = "#" + list[next].id;
    markCurrentNote();
  }

  // Wide screens: a paragraph stays in view beside its notes (each pair is one row, so CSS
  // alone does it); here the estimate of which paragraphs are too tall for that is measured.
  // A paragraph taller than most of the screen scrolls as usual, so that none of it is hidden
  function markTallRows() {
    document.querySelectorAll(".annotated").forEach(function (row) {
      var tall = row.firstElementChild.getBoundingClientRect().height > window.innerHeight * 0.6;
      row.classList.toggle("tall", tall);
    });
  }
  markTallRows();
  window.addEventListener("resize", markTallRows);

  // The note of the claim in the address (#claim-...) is highlighted with its claim
  function markCurrentNote() {
    document.querySelectorAll(".note.is-current").forEach(function (note) {
      note.classList.remove("is-current");
    });
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target || !target.hasAttribute("data-claim")) return;
    var note = document.getElementById(target.getAttribute("aria-details") || "");
    if (note) note.classList.add("is-current");
  }
  window.addEventListener("hashchange", markCurrentNote);
  markCurrentNote();

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target)) return;
    if (event.key === "j" || event.key === "k") {
      if (!claims().length) return;
      event.preventDefault();
      step(event.key === "j");
    }
  });

  // "Copy link" next to each claim's permalink
  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("a[data-copy-link]").forEach(function (link) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy link";
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(link.href).then(function () {
          button.textContent = "Link copied";
          setTimeout(function () { button.textContent = "Copy link"; }, 2000);
        });
      });
      link.insertAdjacentElement("afterend", button);
      link.parentNode.insertBefore(document.createTextNode(" "), button);
    });
  }

  // Sortable tables: a button in each column header; aria-sort tells the current order
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var body = table.tBodies[0];
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) {
          var cell = row.cells[column];
          return cell.getAttribute("data-sort") || cell.textContent.trim();
        };
        rows.sort(function (a, b) {
          var order = key(a).localeCompare(key(b), undefined, { numeric: true, sensitivity: "base" });
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    var help = table.querySelector(".sort-help");
    if (help) help.textContent = ", sortable: press a column header";
  });
})();
