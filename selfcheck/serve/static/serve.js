// selfcheck serve: optional enhancement. The form works without it.
// - saves the draft a moment after typing stops (same fields, same CSRF token);
// - after choosing a rating, saves and reloads the item so follow-up questions appear.
(function () {
  "use strict";
  var form = document.getElementById("item-form");
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  var mark = document.getElementById("saved");
  var timer = null;
  var busy = false;
  var again = false;
  var pending = null; // a submission waiting for the save in flight (its base changes)

  function body(go) {
    var data = new URLSearchParams();
    var elements = form.elements;
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      if (!el.name || el.disabled || el.tagName === "BUTTON") { continue; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { continue; }
      data.append(el.name, el.value);
    }
    data.append("go", go);
    return data;
  }

  function show(text) {
    if (mark) { mark.textContent = text; mark.className = "saved flash"; }
  }

  function save() {
    if (busy) { again = true; return; }
    busy = true;
    fetch("/form/save", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body("stay").toString(),
      credentials: "same-origin"
    }).then(function (r) { return r.json(); }).then(function (j) {
      if (j.base !== undefined) { form.elements.base.value = j.base; }
      if (j.ok) { show("已保存 " + j.saved); }
      else if (j.conflict) { show("未保存：已在别处修改，请点“保存”"); }
      else { show("有答案未保存，请点“保存”查看"); }
      if (j.reload) { form.submit(); }
    }).catch(function () {
      show("暂时无法保存，请稍后点“保存”");
    }).then(function () {
      busy = false;
      if (pending) { var p = pending; pending = null; p(); return; }
      if (again) { again = false; save(); }
    });
  }

  form.addEventListener("input", function (event) {
    var t = event.target;
    if (t.tagName !== "TEXTAREA" && t.type !== "text") { return; }
    if (mark) { mark.textContent = "正在输入…"; mark.className = "saved"; }
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  });
  form.addEventListener("change", function (event) {
    var t = event.target;
    if (t.type === "radio" && t.getAttribute("data-reveal")) {
      clearTimeout(timer);
      var reveal = function () {
        var stay = document.createElement("input");
        stay.type = "hidden"; stay.name = "go"; stay.value = "stay";
        form.appendChild(stay);
        form.submit();
      };
      if (busy) { pending = reveal; } else { reveal(); }
    } else if (t.type === "checkbox") {
      clearTimeout(timer);
      timer = setTimeout(save, 300);
    }
  });
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (busy) {
      event.preventDefault();
      var button = event.submitter;
      pending = function () {
        if (button && form.requestSubmit) { form.requestSubmit(button); } else { form.submit(); }
      };
    }
  });
})();
