// The portal's few behaviours, bound by data attributes: the Content-Security-Policy
// (SECURE_CSP) refuses inline scripts and on*= handlers in the pages. Listeners sit on
// the document, so content that htmx swaps in later works too.
//
//   <select data-submit-on-change>  submits its form when the choice changes
//   <button data-print>             opens the print dialog
"use strict";

document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) {
    field.form.submit();
  }
});

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    event.preventDefault();
    window.print();
  }
});
