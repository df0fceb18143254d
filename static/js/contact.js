/* Turns protected email addresses back into mailto links for people.
   The page source holds only "name [at] example [dot] org" and the two halves of
   the address reversed in data attributes (see releases/templatetags/contacts.py),
   so harvesting bots that read HTML find no address. */
(function () {
  "use strict";
  var reverse = function (text) { return text.split("").reverse().join(""); };
  // Long addresses may wrap on small screens: allow it after "@" and before dots only.
  var appendBreakable = function (link, address) {
    address.split(/(?=\.)|(?<=@)/).forEach(function (part, index) {
      if (index > 0) { link.appendChild(document.createElement("wbr")); }
      link.appendChild(document.createTextNode(part));
    });
  };
  var spans = document.querySelectorAll(".protected-email[data-u][data-d]");
  Array.prototype.forEach.call(spans, function (span) {
    var address = reverse(span.getAttribute("data-u")) + "@" + reverse(span.getAttribute("data-d"));
    var link = document.createElement("a");
    link.href = "mailto:" + address;
    link.className = "email";
    appendBreakable(link, address);
    span.replaceWith(link);
  });
})();
