// Polls a background job's JSON status and draws its progress bar until it finishes.
(function () {
  "use strict";
  function track(box) {
    var url = box.dataset.jobStatusUrl;
    var bar = box.querySelector(".progress-bar");
    var wrap = box.querySelector(".progress");
    var step = box.querySelector(".job-step");
    var status = box.querySelector(".job-status");
    var error = box.querySelector(".job-error");
    var result = box.querySelector(".job-result");
    var retry = box.querySelector(".job-retry");
    function draw(job) {
      bar.style.width = job.progress + "%";
      bar.textContent = job.progress + "%";
      wrap.setAttribute("aria-valuenow", job.progress);
      step.textContent = job.step || job.status_display;
      status.textContent = job.status_display;
      box.dataset.status = job.status;
      if (job.finished) {
        bar.classList.remove("progress-bar-animated");
        bar.classList.add(job.status === "succeeded" ? "bg-success" : "bg-danger");
      }
      if (job.error) {
        error.textContent = job.error;
        error.classList.remove("d-none");
      }
      if (retry && job.status === "failed") {
        retry.classList.remove("d-none");
      }
      if (job.result_url) {
        result.href = job.result_url;
        result.classList.remove("d-none");
      }
      box.dispatchEvent(new CustomEvent("job:update", { detail: job, bubbles: true }));
    }
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (job) {
          draw(job);
          if (!job.finished) { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    poll();
  }
  document.querySelectorAll("[data-job-status-url]").forEach(track);
})();
