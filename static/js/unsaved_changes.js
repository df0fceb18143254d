// Release form: warn before leaving with unsaved changes (beforeunload), unless the form
// itself is being submitted. Loaded by ReleaseAdminForm.Media, which the admin puts in
// <head>, before the form exists: so it starts once the document is parsed.
(function () {
  "use strict";
  function watch() {
    var form = document.getElementById("release_form");
    if (!form) {
      return;
    }
    // A form the server sent back (errors, or a colleague's save first) holds input that
    // is not saved yet: leaving it asks first, as after typing.
    var changed = Boolean(
      form.querySelector(".errornote, .errorlist") || document.querySelector(".edit-conflict")
    );
    var submitting = false;
    function markChanged() {
      changed = true;
    }
    form.addEventListener("input", markChanged);
    form.addEventListener("change", markChanged);
    form.addEventListener("submit", function () {
      submitting = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (changed && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
