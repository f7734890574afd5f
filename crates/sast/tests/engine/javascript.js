const cp = require('child_process');

function run(code) {
  // ruleid: js-eval
  eval(code);
  // ok: js-eval
  evaluate(code);
}

function reply(req, res) {
  // ruleid: js-member-chain
  res.send(req.query.name);
  // ok: js-member-chain
  res.send(req.body.name);
  // ruleid: js-require-exec
  require("child_process").exec(req.query.cmd, () => {});
  // ok: js-require-exec
  require("fs").exec(req.query.cmd);
  // ruleid: js-template
  db.query(`select * from users where id = ${req.params.id}`);
  // ok: js-template
  db.query("select 1");
  // ruleid: js-object-property
  res.cookie("sid", token, { secure: true, httpOnly: false });
  // ok: js-object-property
  res.cookie("sid", token, { httpOnly: true });
}

function render(el, html) {
  // ruleid: js-assign-declaration
  el.innerHTML = html;
  // ok: js-assign-declaration
  el.textContent = html;
}

function tokens() {
  // ruleid: js-sequence
  const t = getToken();
  if (debug) {
    console.log(t);
  }
}

function handleRequest(x) {
  // ruleid: js-function, js-eval
  eval(x);
}

function other(x) {
  // ruleid: js-eval
  eval(x);
}

// ruleid: js-new
const f = new Function("a", "return a");

// ruleid: js-arrow-callback
app.get("/", (req, res) => {
  res.end();
});
