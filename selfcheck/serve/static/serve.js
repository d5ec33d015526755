// selfcheck serve: optional enhancement. The form works without it (every button posts).
// - saves the item a moment after typing stops, never while an input method is composing;
// - saves a choice at once and shows or hides the follow-up questions the server names;
// - never reloads, submits or moves focus by itself: what is being typed stays put.
(function () {
  "use strict";
  // A one-time notice (?notice=, ?saved=, …) is shown once: a reload shows the plain page.
  if (window.location.search && window.URLSearchParams && window.history.replaceState) {
    var query = new URLSearchParams(window.location.search);
    var once = ["notice", "saved", "kept", "moved"];
    var had = false;
    for (var k = 0; k < once.length; k++) {
      if (query.has(once[k])) { query["delete"](once[k]); had = true; }
    }
    if (had) {
      var rest = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (rest ? "?" + rest : ""));
    }
  }
  // The header stays in view (CSS sticky): a question one jumps to is not hidden under it.
  var header = document.querySelector("header.top");
  function padScroll() {
    if (header) {
      document.documentElement.style.scrollPaddingTop = header.offsetHeight + 8 + "px";
    }
  }
  padScroll();
  if (header && window.ResizeObserver) {
    new ResizeObserver(padScroll).observe(header); // it grows when the status line appears
  } else {
    window.addEventListener("resize", padScroll);
  }
  var form = document.getElementById("item-form");
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  var mark = document.getElementById("saved");
  var TYPING_PAUSE = 1200;
  var CHOICE_PAUSE = 300;
  var KEEPALIVE_MAX = 60000; // browsers refuse larger keepalive bodies
  var timer = null;
  var busy = false;
  var again = false;
  var dirty = false; // changed since the last save was sent
  var composing = false; // an input method is composing (pinyin not yet converted)
  var stopped = false; // the server said saving cannot work here (stale link, closed)
  var leaving = false; // the form itself is being submitted
  var pending = null; // a submission waiting for the save in flight

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

  function show(text, good) {
    if (mark) { mark.textContent = text; mark.className = good ? "saved flash" : "saved warn"; }
  }

  function schedule(delay) {
    dirty = true;
    clearTimeout(timer);
    timer = stopped ? null : setTimeout(save, delay);
  }

  // Show the questions the server asks now, hide the others (their text is kept).
  function reveal(visible) {
    var shown = [];
    var fields = form.querySelectorAll("[data-q]");
    for (var i = 0; i < fields.length; i++) {
      var q = fields[i].getAttribute("data-q");
      var on = visible.indexOf(q) >= 0;
      if (on) { shown.push(q); }
      if (fields[i].hidden === !on) { continue; }
      fields[i].hidden = !on;
      var controls = fields[i].querySelectorAll("input, textarea, select");
      for (var j = 0; j < controls.length; j++) { controls[j].disabled = !on; }
    }
    form.elements.shown.value = shown.join(" ");
  }

  function errors(problems) {
    var fields = form.querySelectorAll("[data-q]");
    for (var i = 0; i < fields.length; i++) {
      var q = fields[i].getAttribute("data-q");
      var box = document.getElementById("e-" + q);
      var text = problems[q] || "";
      if (box) { box.textContent = text; box.hidden = !text; }
      fields[i].className = text ? "field has-error" : "field";
    }
  }

  function apply(j) {
    if (j.base !== undefined) { form.elements.base.value = j.base; }
    // the versions of what is saved now: later saves change only what is changed here
    for (var q in (j.versions || {})) {
      var version = form.elements["h." + q];
      if (version) { version.value = j.versions[q]; }
    }
    if (j.visible) { reveal(j.visible); }
    if (j.problems) { errors(j.problems); }
    if (j.stop) { stopped = true; clearTimeout(timer); timer = null; }
    if (j.ok) { show("已保存 " + j.saved, true); } else { show(j.message || "未能保存，请点“保存”", false); }
  }

  function send(keepalive) {
    var data = body("stay").toString();
    dirty = false;
    return fetch("/form/save", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: data,
      credentials: "same-origin",
      keepalive: keepalive && data.length < KEEPALIVE_MAX
    }).then(function (r) {
      return r.json().catch(function () { return { ok: false, status: r.status }; });
    });
  }

  function save() {
    timer = null;
    if (stopped || composing) { return; } // compositionend schedules the save
    if (busy) { again = true; return; }
    busy = true;
    send(false).then(apply).catch(function () {
      dirty = true;
      show("暂时无法保存（网络不通？），请稍后点“保存”", false);
    }).then(function () {
      busy = false;
      if (pending) { var p = pending; pending = null; p(); return; }
      if (again) { again = false; save(); }
    });
  }

  // A box takes at most maxlength characters (so a page always fits one post): say so
  // when a paste is cut short, instead of dropping the rest without a word.
  function warn(t, text) {
    var id = "w-" + t.id;
    var note = document.getElementById(id);
    if (!note && text) {
      note = document.createElement("p");
      note.id = id;
      note.className = "error";
      note.setAttribute("role", "alert");
      t.parentNode.insertBefore(note, t.nextSibling);
    }
    if (note) { note.textContent = text; note.hidden = !text; }
  }
  form.addEventListener("paste", function (event) {
    var t = event.target;
    var limit = t.maxLength;
    if (!(limit > 0) || !event.clipboardData) { return; }
    var text = (event.clipboardData.getData("text/plain") || "").replace(/\r\n?/g, "\n");
    var room = limit - t.value.length + (t.selectionEnd - t.selectionStart);
    if (text.length > room) {
      warn(t, "粘贴的内容有 " + text.length + " 字，这一栏最多 " + limit + " 字，只粘贴进了前 " +
        Math.max(room, 0) + " 字，其余没有粘贴进来。请删减后再粘贴，或分几处填写。");
    }
  });

  form.addEventListener("compositionstart", function () {
    composing = true;
    clearTimeout(timer);
    timer = null;
  });
  form.addEventListener("compositionend", function () {
    composing = false;
    schedule(TYPING_PAUSE);
  });
  form.addEventListener("input", function (event) {
    var t = event.target;
    if (t.tagName !== "TEXTAREA" && t.type !== "text") { return; }
    if (t.maxLength > 0 && t.value.length < t.maxLength && event.inputType !== "insertFromPaste") {
      warn(t, "");
    }
    if (!stopped && mark) { mark.textContent = "正在输入…"; mark.className = "saved"; }
    if (event.isComposing) { composing = true; clearTimeout(timer); timer = null; dirty = true; return; }
    composing = false;
    schedule(TYPING_PAUSE);
  });
  form.addEventListener("change", function (event) {
    var t = event.target;
    if (t.type === "radio" || t.type === "checkbox") { schedule(CHOICE_PAUSE); }
  });
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    timer = null;
    if (busy) {
      event.preventDefault();
      var button = event.submitter;
      pending = function () {
        if (button && form.requestSubmit) { form.requestSubmit(button); } else { form.submit(); }
      };
      return;
    }
    leaving = true;
  });
  // Leaving by a link, the address bar or Back: send what was typed since the last save.
  window.addEventListener("pagehide", function () {
    if (leaving || stopped || !dirty) { return; }
    clearTimeout(timer);
    timer = null;
    send(true).catch(function () {});
  });
  // Back to a page kept in the browser's memory: show what the server holds now.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }
  });
})();
