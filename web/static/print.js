// Print buttons of the archive card pages: any element with data-print
// opens the browser's print dialog (no inline script under the CSP).
document.addEventListener("click", function (e) {
  var t = e.target.closest ? e.target.closest("[data-print]") : null;
  if (t) {
    e.preventDefault();
    window.print();
  }
});
