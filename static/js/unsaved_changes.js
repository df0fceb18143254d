// Release form: warn before leaving with unsaved changes (beforeunload), unless the form
// itself is being submitted. Loaded by ReleaseAdminForm.Media; no dependencies.
(function () {
  "use strict";
  var form = document.getElementById("release_form");
  if (!form) {
    return;
  }
  var changed = false;
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
})();
