// hoso forms: small conveniences only; every form works the same without this script.
"use strict";
(function () {
  var DMY = /^\s*(\d{1,2})[\/.](\d{1,2})[\/.](\d{4})\s*$/;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function toIso(text) {
    var m = DMY.exec(text);
    if (!m) return "";
    var d = +m[1], mo = +m[2], y = +m[3];
    var day = new Date(Date.UTC(y, mo - 1, d));
    if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return "";
    return y + "-" + pad(mo) + "-" + pad(d);
  }
  document.querySelectorAll(".day").forEach(function (box) {
    var text = box.querySelector("input[type=text]");
    var picker = box.querySelector("input[type=date]");
    if (!text || !picker) return;
    // The picker follows the typed day, and a day picked fills in the text as dd/mm/yyyy.
    picker.value = toIso(text.value);
    text.addEventListener("input", function () { picker.value = toIso(text.value); });
    picker.addEventListener("change", function () {
      var p = picker.value.split("-");
      text.value = p.length === 3 ? p[2] + "/" + p[1] + "/" + p[0] : "";
    });
  });
  // One click sends a form once.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
})();
