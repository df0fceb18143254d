/* Turns protected email addresses back into mailto links for people.
   The page source holds only "name [at] example [dot] org" and the two halves of
   the address reversed in data attributes (see releases/templatetags/contacts.py),
   so harvesting bots that read HTML find no address. */
(function () {
  "use strict";
  var reverse = function (text) { return text.split("").reverse().join(""); };
  var spans = document.querySelectorAll(".protected-email[data-u][data-d]");
  Array.prototype.forEach.call(spans, function (span) {
    var address = reverse(span.getAttribute("data-u")) + "@" + reverse(span.getAttribute("data-d"));
    var link = document.createElement("a");
    link.href = "mailto:" + address;
    link.className = "email";
    link.textContent = address;
    span.replaceWith(link);
  });
})();
