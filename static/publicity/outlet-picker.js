/* Outlet picker: enhances the outlet text input (which works on its own with a <datalist> of names)
   by searching names and aliases on the server as the user types, and showing level and class. */
(function () {
  "use strict";
  function enhance(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var info = document.getElementById("outlet-info");
    var timer = null;
    var last = null;

    function show(results) {
      if (!list) { return; }
      while (list.firstChild) { list.removeChild(list.firstChild); }
      results.forEach(function (outlet) {
        var option = document.createElement("option");
        option.value = outlet.name;
        option.label = outlet.name + "（" + outlet.level + " · " + outlet.media_class + "）" +
          (outlet.aliases.length ? " 又名：" + outlet.aliases.join("、") : "");
        list.appendChild(option);
      });
      var exact = results.filter(function (o) { return o.name === input.value.trim(); })[0];
      if (info) {
        info.textContent = exact ? "已选：" + exact.name + "（" + exact.level + " · " + exact.media_class + "）" :
          (input.value.trim() && results.length === 0 ? "没有找到这个媒体，请换个写法，或联系审核员添加。" : "");
      }
    }

    function search() {
      var q = input.value.trim();
      if (q === last) { return; }
      last = q;
      fetch(input.getAttribute("data-outlet-search") + "?q=" + encodeURIComponent(q), {credentials: "same-origin",
        headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) { if (q === last) { show(data.results || []); } })
        .catch(function () { /* keep the server-rendered list */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
    input.addEventListener("change", search);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-outlet-search]"), enhance);
  });
})();
