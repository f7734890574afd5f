const child_process = require("child_process");

app.get("/a", (req, res) => {
  const dir = req.query.dir;
  const cmd = `ls ${dir}`;
  // ruleid: js-taint-express
  child_process.exec(cmd);
});

app.post("/b", function (req, res) {
  let name = req.body.name;
  // ruleid: js-taint-express
  res.send("hello " + name);
  // ok: js-taint-express
  res.send("hello " + escape(name));
  name = "fixed";
  // ok: js-taint-express
  res.send(name);
});

function helper(req, res) {
  const items = [req.query.a, "b"];
  items.forEach((item) => {
    // ruleid: js-taint-express
    child_process.exec(items[0]);
  });
  const obj = { v: req.query.v };
  // ruleid: js-taint-express
  res.send(obj.v);
}

function clean(res) {
  const local = "x";
  // ok: js-taint-express
  res.send(local);
}
