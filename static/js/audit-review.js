// The auditor's review page: autosave of the answer and comment (no keystroke lost: what is not
// saved yet is kept in localStorage and sent again), keyboard shortcuts, and the progress bar.
// On the audit page it reloads once the checklist generation job has finished.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setupAutosave(form) {
    var status = document.querySelector(".autosave-status");
    var comment = form.querySelector("textarea[name=comment]");
    var draftKey = "audit-item-draft-" + form.dataset.item;
    var timer = null;
    var inFlight = false;
    var pending = false;
    var lastSent = null;

    function say(text, tone) {
      if (!status) { return; }
      status.textContent = text;
      status.className = "small autosave-status" + (tone ? " text-" + tone : "");
    }

    function currentValues() {
      var checked = form.querySelector("input[name=answer]:checked");
      return { answer: checked ? checked.value : "", comment: comment ? comment.value : "" };
    }

    function keepDraft(values) {
      try { window.localStorage.setItem(draftKey, JSON.stringify(values)); } catch (e) { /* private mode */ }
    }

    function dropDraft() {
      try { window.localStorage.removeItem(draftKey); } catch (e) { /* private mode */ }
    }

    function drawProgress(data) {
      document.querySelectorAll("[data-testid=audit-progress]").forEach(function (box) {
        box.querySelector(".progress-answered").textContent = data.answered;
        box.querySelector(".progress-total").textContent = data.total;
        box.querySelector(".progress-percent").textContent = data.percent + "%";
        box.querySelector(".audit-progress-bar").style.width = data.percent + "%";
        box.querySelector(".progress").setAttribute("aria-valuenow", data.percent);
      });
    }

    function save() {
      timer = null;
      var values = currentValues();
      var serialised = JSON.stringify(values);
      if (serialised === lastSent) { dropDraft(); return; }
      if (inFlight) { pending = true; return; }
      inFlight = true;
      keepDraft(values);
      say(form.dataset.saving, "body-secondary");
      var body = new FormData();
      body.append("answer", values.answer);
      body.append("comment", values.comment);
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), "X-Requested-With": "fetch", Accept: "application/json" }
      })
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (result) {
          inFlight = false;
          if (!result.ok) {
            say(result.data.error || form.dataset.failed, "danger");
            return;
          }
          lastSent = serialised;
          if (JSON.stringify(currentValues()) === serialised) { dropDraft(); }
          say(form.dataset.saved + " " + result.data.saved_at, "success");
          form.dataset.savedAt = result.data.saved_at;
          drawProgress(result.data);
          if (pending) { pending = false; schedule(0); }
        })
        .catch(function () {
          inFlight = false;
          say(form.dataset.failed, "danger");
          schedule(3000);
        });
    }

    function schedule(delay) {
      if (timer) { window.clearTimeout(timer); }
      keepDraft(currentValues());
      timer = window.setTimeout(save, delay);
    }

    lastSent = JSON.stringify(currentValues());
    // A draft left by a lost connection or a closed tab: put it back and save it.
    try {
      var draft = JSON.parse(window.localStorage.getItem(draftKey) || "null");
      if (draft && JSON.stringify(draft) !== lastSent) {
        if (comment) { comment.value = draft.comment; }
        var radio = form.querySelector("input[name=answer][value='" + draft.answer + "']");
        if (radio) { radio.checked = true; }
        say(form.dataset.restored, "warning");
        schedule(0);
      } else if (draft) {
        dropDraft();
      }
    } catch (e) { dropDraft(); }

    form.addEventListener("change", function (event) {
      if (event.target.name === "answer") { schedule(0); }
    });
    if (comment) {
      comment.addEventListener("input", function () { schedule(700); });
      comment.addEventListener("blur", function () { if (timer) { schedule(0); } });
    }
    window.addEventListener("beforeunload", function (event) {
      if (timer || inFlight) {
        keepDraft(currentValues());
        event.preventDefault();
        event.returnValue = "";
      }
    });

    // Keyboard: 1-4 choose an answer, n/p move on, c jumps to the comment.
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type !== "radio") || target.tagName === "SELECT") {
        if (event.key === "Escape") { target.blur(); }
        return;
      }
      var radio = form.querySelector("input[name=answer][data-key='" + event.key + "']");
      if (radio) {
        radio.checked = true;
        radio.focus();
        schedule(0);
        event.preventDefault();
        return;
      }
      if (event.key === "c" && comment) { comment.focus(); event.preventDefault(); }
    });
  }

  function setupNavigation() {
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.tagName === "SELECT") { return; }
      var link = null;
      if (event.key === "n" || event.key === "ArrowRight") { link = document.querySelector("[data-nav=next]"); }
      if (event.key === "p" || event.key === "ArrowLeft") { link = document.querySelector("[data-nav=previous]"); }
      if (link) { window.location.href = link.href; event.preventDefault(); }
    });
  }

  document.querySelectorAll("form[data-autosave]").forEach(setupAutosave);
  if (document.querySelector("[data-nav]")) { setupNavigation(); }

  // Audit page: once generation finishes, show the fresh counts.
  var generation = document.querySelector("[data-testid=generation] [data-job-status-url]");
  if (generation && generation.dataset.status !== "succeeded") {
    var wasRunning = false;
    generation.addEventListener("job:update", function (event) {
      if (!event.detail.finished) { wasRunning = true; return; }
      if (wasRunning && event.detail.status === "succeeded") { window.location.reload(); }
    });
  }
})();
