const cp = require('child_process');
const { exec } = require('child_process');
import * as proc from 'child_process';

function f(cmd) {
  // ruleid: js-exec
  cp.exec(cmd);
  // ruleid: js-exec
  exec(cmd);
  // ruleid: js-exec
  proc.exec(cmd);
  // ok: js-exec
  other.exec(cmd);
}
