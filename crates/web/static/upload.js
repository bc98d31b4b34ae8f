// Forms with files (`form[data-upload]`): each file checked against the limit before it is
// sent, and the upload's progress shown in the form's <progress>. Our own code, no framework.
// Without this script the form posts as any form does, and the server says the same things.
//
// The form carries what it needs in data attributes, and every message in the page's
// language, so this file holds no text:
//   data-upload          the largest file, in bytes
// Small forms are sent as any form is; from SHOW_FROM bytes of files on, the form is sent by
// XMLHttpRequest so its progress can be shown, and the answer replaces the page as the
// browser's own would.
//   data-msg-too-large   said beside a file over it
//   data-msg-sending     said while the form is sent ("{percent}" is replaced)
//   data-msg-failed      said when the connection broke; the form stays as it was
(function () {
  "use strict";
  var SHOW_FROM = 512 * 1024;

  function filesSize(form) {
    var total = 0;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      if (input.files && input.files[0]) total += input.files[0].size;
    });
    return total;
  }

  function errorOf(field) {
    var e = field.querySelector(".error.upload-check");
    if (!e) {
      e = document.createElement("span");
      e.className = "error upload-check";
      e.id = field.querySelector("input[type=file]").id + "-size";
      var input = field.querySelector("input[type=file]");
      field.insertBefore(e, input);
      input.setAttribute("aria-describedby", e.id);
    }
    return e;
  }

  // Files over the limit, each said beside its field; true when all fit.
  function sizesFit(form) {
    var limit = parseInt(form.dataset.upload, 10);
    var ok = true;
    var first = null;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      var field = input.closest(".field");
      var file = input.files && input.files[0];
      var old = field.querySelector(".error.upload-check");
      if (file && file.size > limit) {
        ok = false;
        errorOf(field).textContent = form.dataset.msgTooLarge;
        field.classList.add("invalid");
        input.setAttribute("aria-invalid", "true");
        first = first || input;
      } else if (old) {
        old.remove();
        input.removeAttribute("aria-invalid");
      }
    });
    if (first) first.focus();
    return ok;
  }

  function send(form, submitter) {
    var progress = form.querySelector("progress.upload-progress");
    var status = form.querySelector(".upload-status");
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.floor((e.loaded / e.total) * 100);
      progress.value = percent;
      status.textContent = form.dataset.msgSending.replace("{percent}", percent);
    };
    xhr.onload = function () {
      // A redirect was followed: go where it led. Otherwise the page is the answer (the form
      // again, with what to correct): show it as the browser would have.
      if (xhr.responseURL && xhr.responseURL.split("#")[0] !== form.action.split("#")[0]) {
        window.location.assign(xhr.responseURL);
        return;
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    };
    xhr.onerror = function () {
      progress.hidden = true;
      status.textContent = form.dataset.msgFailed;
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    };
    progress.hidden = false;
    progress.value = 0;
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    xhr.send(data);
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches || !form.matches("form[data-upload]")) return;
    if (!sizesFit(form)) {
      e.preventDefault();
      return;
    }
    if (!window.FormData || !window.XMLHttpRequest || filesSize(form) < SHOW_FROM) return;
    e.preventDefault();
    send(form, e.submitter);
  });
})();
