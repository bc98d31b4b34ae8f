// qualcert: the header's links fold into a "Menu" on a narrow screen (issue 31), so that a
// phone shows the page's content first, not six lines of links. The page is sent with the
// menu open, which is how it stays without this script.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 40rem)");
  function fold() {
    var menu = document.querySelector("details.menu");
    if (!menu) return;
    if (narrow.matches) menu.removeAttribute("open"); else menu.setAttribute("open", "");
  }
  document.addEventListener("DOMContentLoaded", fold);
  narrow.addEventListener("change", fold);
})();
