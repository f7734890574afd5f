<?php

function export_statement()
{
    $file = $_GET['file'];
    // ruleid: php.command-injection
    system("gzip /srv/statements/" . $file);
    // ruleid: php.command-injection
    $out = shell_exec('ls -l ' . $_POST['dir']);
    $host = $_REQUEST['host'];
    // ruleid: php.command-injection
    $ping = `ping -c 1 $host`;
    // ok: php.command-injection
    system("gzip /srv/statements/" . escapeshellarg($file));
    // ok: php.command-injection
    exec('/usr/bin/uptime', $lines);
    // ok: php.command-injection
    passthru('/usr/local/bin/report --days ' . intval($_GET['days']));
    return $out . $ping;
}

class ArchiveController
{
    public function store($request)
    {
        $name = $request->input('name');
        // ruleid: php.command-injection
        proc_open("tar czf /srv/archive/{$name}.tgz /srv/data", [], $pipes);
        // ok: php.command-injection
        proc_open(['tar', 'czf', '/srv/archive/daily.tgz', '/srv/data'], [], $pipes);
    }
}
