// Signing with the person's EDS through NCALayer, the national CA's desktop application,
// which listens on wss://127.0.0.1:13579. Our own code (no framework, no CDN).
//
// Every element `.eds` carries what to do in data attributes, and every message in the
// page's language, so this file holds no text:
//   data-content   base64 of the bytes to sign, as the server gave them
//   data-post      where to POST the CMS (base64, text/plain, X-CSRF-Token header)
//   data-csrf      the session's CSRF token
//   data-lang      kk, ru or en, for NCALayer's own dialog
//   data-msg-*     absent, cancelled, wrong-key, timeout, failed, working, and for eGov
//                  mobile: mobile-waiting, mobile-expired, mobile-open, mobile-open-business
// Beside NCALayer, each box offers eGov mobile (`.eds-mobile`): the server makes a one-time
// request over the same bytes (POST /mobile), the page shows its QR code and the apps' deep
// links (a phone sees the links first), polls for the phone's signature, and posts it where
// NCALayer's would have gone.
// The server answers 200 with the address to go to next, or an error status with a message
// in the person's language, shown as it is.
(function () {
  "use strict";
  var URL = "wss://127.0.0.1:13579/";
  var TIMEOUT_MS = 120000;

  function say(box, text, bad) {
    var p = box.querySelector(".eds-status");
    p.textContent = text;
    p.className = "eds-status" + (bad ? " bad" : "");
  }

  // One request to NCALayer; resolves with its answer, rejects with a reason name.
  function ncalayer(request) {
    return new Promise(function (resolve, reject) {
      var socket;
      var settled = false;
      function finish(fn, value) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        try { socket.close(); } catch (e) { /* already closed */ }
        fn(value);
      }
      var timer = setTimeout(function () { finish(reject, "timeout"); }, TIMEOUT_MS);
      try {
        socket = new WebSocket(URL);
      } catch (e) {
        finish(reject, "absent");
        return;
      }
      var opened = false;
      socket.onopen = function () {
        opened = true;
        socket.send(JSON.stringify(request));
      };
      socket.onerror = function () { finish(reject, opened ? "failed" : "absent"); };
      socket.onclose = function () { finish(reject, opened ? "failed" : "absent"); };
      socket.onmessage = function (event) {
        var answer;
        try { answer = JSON.parse(event.data); } catch (e) { finish(reject, "failed"); return; }
        // NCALayer greets a new connection with its version; the answer has a status.
        if (answer === null || typeof answer.status === "undefined") return;
        finish(resolve, answer);
      };
    });
  }

  function cmsOf(answer) {
    if (answer.status !== true) {
      var code = String(answer.code || "");
      // NCALayer says "-1" or a message with "cancel" when the person closes its dialog.
      if (code === "-1" || /cancel/i.test(String(answer.message || ""))) throw "cancelled";
      if (/key|storage|certificate|EKU/i.test(String(answer.message || ""))) throw "wrong-key";
      throw "failed";
    }
    var result = answer.body && answer.body.result;
    if (!result) throw "cancelled";
    if (Array.isArray(result)) result = result[0];
    if (typeof result !== "string" || result === "") throw "failed";
    return result;
  }

  function sign(box) {
    var button = box.querySelector(".eds-sign");
    button.disabled = true;
    say(box, box.dataset.msgWorking, false);
    var request = {
      module: "kz.gov.pki.knca.basics",
      method: "sign",
      args: {
        allowedStorages: ["PKCS12", "AKKaztokenStore", "AKKZIDCardStore", "AKEToken72KStore", "AKJaCartaStore"],
        format: "cms",
        data: box.dataset.content,
        signingParams: { decode: true, encapsulate: false, digested: false, tsaProfile: {} },
        signerParams: { extKeyUsageOids: [], chain: [] },
        locale: box.dataset.lang
      }
    };
    ncalayer(request)
      .then(cmsOf)
      .then(function (cms) { return post(box, cms); })
      .then(function (response) { return answered(box, response, button); })
      .catch(function (reason) {
        var key = typeof reason === "string" ? reason : "failed";
        var attr = "msg" + key.replace(/(^|-)([a-z])/g, function (_, _d, c) { return c.toUpperCase(); });
        say(box, box.dataset[attr] || box.dataset.msgFailed, true);
        button.disabled = false;
      });
  }

  // The signature, from NCALayer or the phone, to where the box says.
  function post(box, cms) {
    return fetch(box.dataset.post, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "text/plain", "X-CSRF-Token": box.dataset.csrf },
      body: cms
    });
  }

  function answered(box, response, button) {
    return response.text().then(function (text) {
      if (response.ok) {
        window.location.assign(text);
      } else {
        say(box, text, true);
        button.disabled = false;
      }
    });
  }

  function onPhone() {
    return window.matchMedia("(max-width: 600px)").matches || /Android|iPhone|iPad|Mobile/i.test(navigator.userAgent);
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    a.className = "eds-mobile-link";
    return a;
  }

  // Signing with eGov mobile: a request, its QR code and links, then waiting for the phone.
  function mobile(box) {
    var button = box.querySelector(".eds-mobile");
    var panel = box.querySelector(".eds-mobile-box");
    button.disabled = true;
    fetch("/mobile", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "text/plain", "X-CSRF-Token": box.dataset.csrf },
      body: box.dataset.content
    })
      .then(function (r) { if (!r.ok) throw "failed"; return r.json(); })
      .then(function (req) {
        var links = panel.querySelector(".eds-mobile-links");
        links.textContent = "";
        links.appendChild(link(req.app_link, box.dataset.msgMobileOpen));
        links.appendChild(document.createTextNode(" · "));
        links.appendChild(link(req.business_link, box.dataset.msgMobileOpenBusiness));
        // The server's own SVG of the request's address.
        panel.querySelector(".eds-mobile-qr").innerHTML = req.qr;
        if (onPhone()) panel.insertBefore(links, panel.querySelector(".eds-mobile-qr"));
        panel.hidden = false;
        say(box, box.dataset.msgMobileWaiting, false);
        var until = Date.now() + req.expires_in * 1000;
        (function poll() {
          fetch("/mobile/" + req.id + "/result", { credentials: "same-origin", cache: "no-store" })
            .then(function (r) {
              if (r.status === 200) {
                return r.text().then(function (cms) {
                  return post(box, cms).then(function (response) { return answered(box, response, button); });
                });
              }
              if (r.status === 202 && Date.now() < until) {
                setTimeout(poll, 2000);
                return null;
              }
              panel.hidden = true;
              say(box, box.dataset.msgMobileExpired, true);
              button.disabled = false;
              return null;
            })
            .catch(function () { setTimeout(poll, 4000); });
        })();
      })
      .catch(function () {
        say(box, box.dataset.msgFailed, true);
        button.disabled = false;
      });
  }

  function start() {
    var boxes = document.querySelectorAll(".eds");
    for (var i = 0; i < boxes.length; i++) {
      (function (box) {
        box.querySelector(".eds-sign").addEventListener("click", function () { sign(box); });
        var phone = box.querySelector(".eds-mobile");
        if (phone) phone.addEventListener("click", function () { mobile(box); });
        // A phone offers its own app first.
        if (phone && onPhone()) box.insertBefore(phone, box.querySelector(".eds-sign"));
      })(boxes[i]);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
