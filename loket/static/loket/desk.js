// Keyboard shortcuts for the desk (the pages work without them): 1-7 pick a queue, j/k move
// between tickets in the list, Enter opens the focused one, / goes to the filters, n registers
// a contact. On a ticket: c reply, g gereed melden, a assign, s status, d child task.
(function () {
  "use strict";
  var FIELDS = { c: "id_body", g: "id_resolution", a: "id_team", s: "id_to", d: "id_split_subject" };
  function typing(event) {
    var el = event.target;
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event)) return;
    var queue = document.querySelector('[data-shortcut="' + event.key + '"]');
    if (queue) { queue.click(); event.preventDefault(); return; }
    if (event.key === "j" || event.key === "k") {
      var links = Array.prototype.slice.call(document.querySelectorAll(".loket-queue tbody a"));
      if (!links.length) return;
      var index = links.indexOf(document.activeElement);
      index = event.key === "j" ? Math.min(links.length - 1, index + 1) : Math.max(0, index - 1);
      links[index].focus();
      event.preventDefault();
    } else if (event.key === "/") {
      var filter = document.getElementById("id_kwis");
      if (filter) { filter.focus(); event.preventDefault(); }
    } else if (FIELDS[event.key]) {
      // On a ticket: jump to the form of a common action (nothing is sent without Enter).
      var field = document.getElementById(FIELDS[event.key]);
      if (field) { field.focus(); event.preventDefault(); }
    }
  });
})();
