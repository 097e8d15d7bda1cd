/*
 * hoso: tables that sort and filter in the browser. Written for this site, no library; it
 * requests nothing. A table marked data-hoso-bang sorts by a column when its header is clicked
 * (or Enter is pressed on it); one also marked data-hoso-loc gets a filter box (letters with or
 * without diacritics match alike) and a drop-down for each column whose header has data-choice.
 * "?loc=words" in the page's address fills the filter box.
 */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function sortKey(cell) {
    return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
  }

  function asNumber(text) {
    return /^-?\d+(?:[.,]\d+)?$/.test(text) ? parseFloat(text.replace(",", ".")) : null;
  }

  function sortable(table) {
    var body = table.tBodies[0];
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, column) {
      th.tabIndex = 0;
      th.classList.add("hoso-sap");
      th.title = "Bấm để sắp xếp theo cột này";
      function sort() {
        var up = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var keyed = Array.prototype.map.call(body.rows, function (row) {
          return [sortKey(row.cells[column]), row];
        });
        var numeric = keyed.every(function (k) { return k[0] === "" || asNumber(k[0]) !== null; });
        keyed.sort(function (a, b) {
          var order = numeric
            ? (asNumber(a[0]) || 0) - (asNumber(b[0]) || 0)
            : a[0].localeCompare(b[0], "vi");
          return up ? order : -order;
        });
        keyed.forEach(function (k) { body.appendChild(k[1]); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sort();
        }
      });
    });
  }

  function filterable(table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var folded = rows.map(function (row) {
      return fold(row.textContent + " " + (row.dataset.loc || ""));
    });
    var bar = document.createElement("div");
    bar.className = "hoso-loc";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Lọc: gõ tên, mã, đơn vị (có dấu hay không dấu đều được)";
    input.setAttribute("aria-label", "Lọc " + (table.getAttribute("aria-label") || "bảng"));
    bar.appendChild(input);
    var choices = [];
    heads.forEach(function (th, column) {
      if (!th.hasAttribute("data-choice")) return;
      var values = [];
      rows.forEach(function (row) {
        var value = row.cells[column].textContent.trim();
        if (values.indexOf(value) < 0) values.push(value);
      });
      if (values.length < 2) return;
      values.sort(function (a, b) { return a.localeCompare(b, "vi"); });
      var select = document.createElement("select");
      select.setAttribute("aria-label", th.textContent);
      select.appendChild(new Option(th.textContent + ": tất cả", ""));
      values.forEach(function (value) { select.appendChild(new Option(value, value)); });
      choices.push([column, select]);
      bar.appendChild(select);
    });
    var count = document.createElement("span");
    count.className = "hoso-loc__dem";
    count.setAttribute("aria-live", "polite");
    bar.appendChild(count);
    var frame = table.closest(".hoso-bang") || table;
    frame.parentNode.insertBefore(bar, frame);
    function apply() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, n) {
        var keep = words.every(function (w) { return folded[n].indexOf(w) >= 0; }) &&
          choices.every(function (c) {
            return !c[1].value || row.cells[c[0]].textContent.trim() === c[1].value;
          });
        row.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      count.textContent = shown + "/" + rows.length + " dòng";
    }
    input.addEventListener("input", apply);
    choices.forEach(function (c) { c[1].addEventListener("change", apply); });
    var asked = new URLSearchParams(window.location.search).get("loc");
    if (asked) input.value = asked;
    apply();
  }

  function start() {
    document.querySelectorAll("table[data-hoso-bang]").forEach(function (table) {
      sortable(table);
      if (table.hasAttribute("data-hoso-loc")) filterable(table);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
