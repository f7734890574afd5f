<?php

function download_statement()
{
    $name = $_GET['file'];
    // ruleid: php.path-traversal
    readfile('/srv/statements/' . $name);
    // ruleid: php.path-traversal
    unlink(__DIR__ . '/tmp/' . $_POST['cleanup']);
    // ok: php.path-traversal
    readfile('/srv/statements/' . basename($name));
    // ok: php.path-traversal
    $index = file_get_contents('/srv/statements/index.json');
    return $index;
}

function upload()
{
    $target = '/srv/uploads/' . $_FILES['doc']['name'];
    // ruleid: php.path-traversal
    move_uploaded_file($_FILES['doc']['tmp_name'], $target);
    // ok: php.path-traversal
    move_uploaded_file($_FILES['doc']['tmp_name'], '/srv/uploads/' . bin2hex(random_bytes(16)) . '.pdf');
}
