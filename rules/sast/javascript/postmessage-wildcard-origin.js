function sendSessionToWidget(frame, session) {
  // ruleid: javascript.postmessage-wildcard-origin
  frame.contentWindow.postMessage({ type: 'session', token: session.token }, '*');
}

function notifyOpener(result) {
  // ruleid: javascript.postmessage-wildcard-origin
  window.opener.postMessage(JSON.stringify(result), "*");
}

function notifyParent(data) {
  // ruleid: javascript.postmessage-wildcard-origin
  window.parent.postMessage({ kind: 'resize', data }, { targetOrigin: '*' });
}

function safeSendSession(frame, session) {
  // ok: javascript.postmessage-wildcard-origin
  frame.contentWindow.postMessage({ type: 'session', token: session.token }, 'https://widget.bank.example');
}

function safeNotifyOpener(result) {
  // ok: javascript.postmessage-wildcard-origin
  window.opener.postMessage(result, window.location.origin);
}

function safeWorker(worker, job) {
  // ok: javascript.postmessage-wildcard-origin
  worker.postMessage(job);
}
