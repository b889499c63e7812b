// Entry form: keeps a draft of what was typed (localStorage) and, when the
// connection drops on submit, retries until the server answers. The form's
// client_key makes a retried submission record the entry only once.
(function () {
  'use strict';
  function init() {
  var form = document.getElementById('entry-form');
  if (!form || !window.fetch || !window.FormData) { return; }
  var key = form.getAttribute('data-draft');
  // A draft belongs to the account that typed it: drop any other's.
  try {
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var k = localStorage.key(i);
      if (k && k.indexOf('entry-draft') === 0 && k !== key) { localStorage.removeItem(k); }
    }
  } catch (e) { /* private mode */ }
  var status = document.getElementById('draft-status');
  var fields = ['village_code', 'kind', 'mode', 'date', 'start_time', 'minutes', 'place', 'served', 'attendees', 'content', 'result', 'client_key'];

  function say(msg) {
    if (!status) { return; }
    status.textContent = msg;
    status.hidden = !msg;
  }
  function save() {
    var d = {};
    fields.forEach(function (f) { if (form.elements[f]) { d[f] = form.elements[f].value; } });
    try { localStorage.setItem(key, JSON.stringify(d)); } catch (e) { /* private mode */ }
  }
  function restore() {
    var d;
    try { d = JSON.parse(localStorage.getItem(key) || 'null'); } catch (e) { d = null; }
    // Only restore into a fresh form (no server-side errors shown).
    if (!d || document.querySelector('.field-error') || form.elements.amends_id.value) { return; }
    var changed = false;
    fields.forEach(function (f) {
      if (form.elements[f] && d[f] && d[f] !== form.elements[f].value) { form.elements[f].value = d[f]; changed = true; }
    });
    if (changed) { say(form.getAttribute('data-restored')); }
  }
  restore();
  form.addEventListener('input', save);
  form.addEventListener('change', save);

  var delay = 2000;
  function send(data) {
    fetch(form.action, { method: 'POST', body: data, credentials: 'same-origin', redirect: 'follow' })
      .then(function (resp) {
        return resp.text().then(function (html) {
          if (resp.redirected || resp.ok) {
            try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
          }
          if (resp.redirected) { window.location.assign(resp.url); return; }
          // A refusal: show the page the server rendered (errors by the field).
          var doc = new DOMParser().parseFromString(html, 'text/html');
          var main = doc.querySelector('main');
          if (main) { document.querySelector('main').replaceWith(main); } else { document.body.innerHTML = doc.body.innerHTML; }
          init();
        });
      })
      .catch(function () {
        say(form.getAttribute('data-offline'));
        setTimeout(function () { say(form.getAttribute('data-retrying')); send(data); }, delay);
        delay = Math.min(delay * 2, 30000);
      });
  }
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    save();
    var btn = form.querySelector('button[type=submit]');
    if (btn) { btn.disabled = true; }
    send(new FormData(form));
  });
  }
  init();
}());
