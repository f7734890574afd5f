function afterLogin() {
  const next = new URLSearchParams(window.location.search).get('next');
  // ruleid: javascript.dom-open-redirect
  window.location.href = next;
}

function backToOrigin() {
  // ruleid: javascript.dom-open-redirect
  location.assign(document.referrer);
}

function openHelp() {
  const target = location.hash.substring(1);
  // ruleid: javascript.dom-open-redirect
  window.open(target, '_blank', 'noopener');
}

function safeAfterLogin() {
  const account = new URLSearchParams(window.location.search).get('account');
  // ok: javascript.dom-open-redirect
  window.location.href = '/accounts/' + encodeURIComponent(account);
}

function safeReload() {
  // ok: javascript.dom-open-redirect
  window.location.href = window.location.href.split('?')[0];
}

function safeHelp() {
  const topic = location.hash.substring(1);
  // ok: javascript.dom-open-redirect
  window.open(`https://help.bank.example/topics/${topic}`, '_blank', 'noopener');
}

function safeLogout() {
  // ok: javascript.dom-open-redirect
  location.replace('/logout');
}
