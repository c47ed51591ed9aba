/* Warns on the entry form, before saving, when what is typed looks like a record already in the system
   (same title, outlet and date; same link). The server repeats the check when the record is submitted. */
(function () {
  "use strict";

  function value(form, name) {
    var field = form.elements.namedItem(name);
    return field ? field.value.trim() : "";
  }

  function render(box, data) {
    while (box.firstChild) { box.removeChild(box.firstChild); }
    if (!data.own.length && !data.other_units) { box.hidden = true; return; }
    var head = document.createElement("strong");
    head.textContent = "可能重复：";
    box.appendChild(head);
    var list = document.createElement("ul");
    data.own.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.link;
      a.textContent = item.title + " · " + item.outlet + " · " + item.published_on;
      li.appendChild(a);
      li.appendChild(document.createTextNode("（" + item.status + "；" + item.reasons.join("、") + "）"));
      list.appendChild(li);
    });
    if (data.other_units) {
      var other = document.createElement("li");
      other.textContent = "其他单位已有 " + data.other_units + " 条相似记录，提交后由审核员核对。";
      list.appendChild(other);
    }
    box.appendChild(list);
    box.hidden = false;
  }

  function enhance(form) {
    var box = document.getElementById("duplicate-warning");
    if (!box) { return; }
    function check() {
      var params = new URLSearchParams({
        title: value(form, "title") || form.getAttribute("data-title") || "",
        outlet: value(form, "outlet"), published_on: value(form, "published_on"), url: value(form, "url"),
        exclude: form.getAttribute("data-exclude") || ""
      });
      if (!params.get("title") || !params.get("outlet") || !params.get("published_on")) { return; }
      fetch(form.getAttribute("data-duplicate-check") + "?" + params.toString(),
            {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) { render(box, data); } })
        .catch(function () { /* the server checks again on submit */ });
    }
    ["title", "outlet", "published_on", "url"].forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field) { field.addEventListener("change", check); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-duplicate-check]"), enhance);
  });
})();
