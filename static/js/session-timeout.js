/*
 * Session warning (issue 9): the server ends a session after data-idle-seconds without a request.
 * data-warning-seconds before that, show #session-warning (its text goes into a role="alert"
 * paragraph, so screen readers announce it) with the button "Ingelogd blijven", which takes the
 * focus; the button POSTs to the keep-alive URL, which renews the session, and the focus returns. When the time is up, go to the log-in page.
 * Requests made without a page load (htmx) renew the session too, so they restart the timer.
 * No inline script anywhere (CSP): this file is loaded with <script src defer>.
 */
(function () {
  "use strict";
  var panel = document.getElementById("session-warning");
  if (!panel) {
    return;
  }
  var idleMs = parseInt(panel.dataset.idleSeconds, 10) * 1000;
  var warnMs = parseInt(panel.dataset.warningSeconds, 10) * 1000;
  var text = document.getElementById("session-warning-text");
  var form = panel.querySelector("form");
  var warnTimer = null;
  var endTimer = null;
  var returnTo = null;

  function toLogin() {
    var next = window.location.pathname + window.location.search;
    window.location.assign(
      panel.dataset.loginUrl + "?reden=inactief&next=" + encodeURIComponent(next)
    );
  }

  function hide() {
    panel.hidden = true;
    text.textContent = "";
  }

  function show() {
    panel.hidden = false;
    text.textContent = text.dataset.message;
    // The button takes the focus, so a keyboard user reaches it at once; after it was
    // pressed, the focus goes back to where the user was (a half-filled form field).
    returnTo = document.activeElement;
    var button = form.querySelector("button");
    if (button) {
      button.focus();
    }
  }

  function restart() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    hide();
    warnTimer = window.setTimeout(show, Math.max(idleMs - warnMs, 0));
    endTimer = window.setTimeout(toLogin, idleMs);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    window
      .fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token },
        redirect: "manual",
      })
      .then(function (response) {
        if (response.status === 204) {
          restart();
          if (returnTo && returnTo !== document.body && document.contains(returnTo)) {
            returnTo.focus();
          }
        } else {
          toLogin();
        }
      })
      .catch(toLogin);
  });

  document.body.addEventListener("htmx:afterRequest", restart);
  restart();
})();
