// Tells the admin the editor's own time zone (the browser's), so that times can be shown
// in it beside the site's zone and UTC (releases.times.local_and_utc). A cookie for the
// admin only; the server accepts only IANA zone names it knows.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  var secure = window.location.protocol === "https:" ? "; Secure" : "";
  // Only the admin's own path (e.g. /admin/): public pages, and the caches in front of
  // them, never see the cookie.
  var path = "/" + window.location.pathname.split("/")[1] + "/";
  document.cookie =
    "newsroom_editor_tz=" + encodeURIComponent(zone) +
    "; path=" + path + "; max-age=31536000; SameSite=Lax" + secure;
})();
