// Rankings on phones (issue 15): each unit's line-by-line progress is folded under its rank, name and score
// (<details class="fold">, open on tap); on wider screens and in print everything is shown.
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 640px)");
  function folds() { return document.querySelectorAll("details.fold"); }
  function apply() { folds().forEach(function (d) { d.open = !phone.matches; }); }
  apply();
  if (phone.addEventListener) { phone.addEventListener("change", apply); }
  window.addEventListener("beforeprint", function () { folds().forEach(function (d) { d.open = true; }); });
  window.addEventListener("afterprint", apply);
})();
