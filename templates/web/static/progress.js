// A live progress bar for a long job: <div data-job="ID"> with .progress > div, .job-status, .job-message inside.
// Polls /jobs/ID every second until the job is done, failed or interrupted; then reloads (or follows data-done-url).
(function () {
  function watch(box) {
    var id = box.dataset.job, bar = box.querySelector('.progress > div');
    var status = box.querySelector('.job-status'), message = box.querySelector('.job-message');
    function tick() {
      fetch('/jobs/' + id, {headers: {'Accept': 'application/json'}, credentials: 'same-origin'})
        .then(function (r) { return r.json(); })
        .then(function (job) {
          bar.style.width = job.percent + '%';
          status.textContent = job.status_text + (job.total ? ' — ' + job.done + ' из ' + job.total : '');
          message.textContent = job.message || '';
          box.dataset.state = job.status;
          if (job.status === 'done' || job.status === 'failed' || job.status === 'interrupted') {
            if (job.status === 'done' && box.dataset.doneUrl) { window.location = box.dataset.doneUrl; }
            return;
          }
          setTimeout(tick, 1000);
        })
        .catch(function () { setTimeout(tick, 2000); });
    }
    tick();
  }
  document.querySelectorAll('[data-job]').forEach(watch);
})();
