<?php

function generate_reset_token()
{
    // ruleid: php.insecure-random-token
    return md5(uniqid(mt_rand(), true));
}

function issue_otp($user)
{
    // ruleid: php.insecure-random-token
    $otp = str_pad((string) rand(0, 999999), 6, '0', STR_PAD_LEFT);
    // ruleid: php.insecure-random-token
    $user->api_key = substr(str_shuffle('abcdefghijklmnopqrstuvwxyz0123456789'), 0, 32);
    // ok: php.insecure-random-token
    $secure_otp = str_pad((string) random_int(0, 999999), 6, '0', STR_PAD_LEFT);
    return [$otp, $secure_otp];
}

function generate_csrf_token()
{
    // ok: php.insecure-random-token
    return bin2hex(random_bytes(32));
}

function pick_banner()
{
    // ok: php.insecure-random-token
    $banner = mt_rand(1, 5);
    return "banner-$banner.png";
}

function get_ttl_for_token($cache_time)
{
    // ok: php.insecure-random-token
    $cache_time += mt_rand(0, 300);
    return $cache_time;
}
