// Signing out clears what this browser kept for the account: ledger drafts
// (localStorage keys "entry-draft:…"), so the next person at a shared
// computer finds nothing. The server also answers the sign-out with
// Clear-Site-Data.
(function () {
  'use strict';
  function clearDrafts() {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (k && k.indexOf('entry-draft') === 0) { localStorage.removeItem(k); }
      }
    } catch (e) { /* storage unavailable */ }
  }
  document.addEventListener('submit', function (ev) {
    var f = ev.target;
    if (f && f.getAttribute && f.getAttribute('action') === '/logout') { clearDrafts(); }
  }, true);
})();
