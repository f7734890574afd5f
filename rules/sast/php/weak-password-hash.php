<?php

function register(PDO $pdo, string $email, string $password)
{
    // ruleid: php.weak-password-hash
    $hash = md5($password);
    // ruleid: php.weak-password-hash
    $salted = sha1($salt . $_POST['password']);
    // ruleid: php.weak-password-hash
    $digest = hash('sha256', $user->password);
    // ok: php.weak-password-hash
    $good = password_hash($password, PASSWORD_DEFAULT);
    // ok: php.weak-password-hash
    $etag = md5($email . filemtime(__FILE__));
    // ok: php.weak-password-hash
    $mac = hash_hmac('sha256', $password, $pepper);
    return [$hash, $salted, $digest, $good, $etag, $mac];
}
