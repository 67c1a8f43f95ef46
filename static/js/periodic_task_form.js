// The periodic task's change form in the admin (templates/admin/djcelery/
// change_periodictask_form.html): under the crontab field, the chosen schedule in words.
// django-celery-beat does this with an inline script, which the portal's
// Content-Security-Policy refuses.
"use strict";
(function ($) {
  const readable = JSON.parse(document.getElementById("readable-crontabs").textContent);
  const label = document.getElementById("periodic-task-overrides").dataset.label;
  const help = $(".field-crontab .help");
  const original = help.contents().clone();

  $(".field-crontab_translation").hide();
  $(".field-crontab").on("change", function () {
    const words = readable[$("#id_crontab").val()];
    help.empty().append(original.clone());
    if (words) {
      help.append($("<br>"), document.createTextNode(`${label} ${words}`));
    }
  });
})(django.jQuery);
