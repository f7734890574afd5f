function showWelcome() {
  const params = new URLSearchParams(window.location.search);
  const name = params.get('name');
  // ruleid: javascript.dom-xss
  document.getElementById('welcome').innerHTML = '<b>Welcome back, ' + name + '</b>';
}

function showTab() {
  const tab = decodeURIComponent(location.hash.slice(1));
  // ruleid: javascript.dom-xss
  document.querySelector('#tabs').insertAdjacentHTML('beforeend', `<li class="active">${tab}</li>`);
}

function trackReferrer() {
  // ruleid: javascript.dom-xss
  document.write('<img src="/pixel?ref=' + document.referrer + '">');
}

function restoreState() {
  // ruleid: javascript.dom-xss
  eval('state = ' + window.name);
}

function safeWelcome() {
  const params = new URLSearchParams(window.location.search);
  // ok: javascript.dom-xss
  document.getElementById('welcome').textContent = 'Welcome back, ' + params.get('name');
}

function safeTab() {
  const tab = decodeURIComponent(location.hash.slice(1));
  // ok: javascript.dom-xss
  document.querySelector('#tabs').innerHTML = DOMPurify.sanitize(`<li>${tab}</li>`);
}

function safeTracking() {
  // ok: javascript.dom-xss
  document.write('<img src="/pixel?ref=' + encodeURIComponent(document.referrer) + '">');
}

function safeStatic() {
  // ok: javascript.dom-xss
  document.getElementById('banner').innerHTML = '<p>Scheduled maintenance tonight</p>';
}
