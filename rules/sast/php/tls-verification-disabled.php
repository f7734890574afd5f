<?php

use GuzzleHttp\Client;

function fetch_rates($url)
{
    $ch = curl_init($url);
    // ruleid: php.tls-verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);
    // ruleid: php.tls-verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 0);
    // ok: php.tls-verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 2);
    // ok: php.tls-verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);
    return curl_exec($ch);
}

function fetch_partner($url)
{
    $ch = curl_init($url);
    // ruleid: php.tls-verification-disabled
    curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_SSL_VERIFYPEER => false]);
    // ok: php.tls-verification-disabled
    curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_CAINFO => '/etc/ssl/certs/bank-ca.pem']);
    // ruleid: php.tls-verification-disabled
    $ctx = stream_context_create(['ssl' => ['verify_peer' => false]]);
    // ok: php.tls-verification-disabled
    $strictCtx = stream_context_create(['ssl' => ['cafile' => '/etc/ssl/certs/bank-ca.pem']]);
    return [curl_exec($ch), file_get_contents($url, false, $ctx), $strictCtx];
}

function guzzle_clients()
{
    // ruleid: php.tls-verification-disabled
    $lenient = new Client(['base_uri' => 'https://partner.example', 'verify' => false]);
    // ok: php.tls-verification-disabled
    $strict = new Client(['base_uri' => 'https://partner.example', 'verify' => '/etc/ssl/certs/bank-ca.pem']);
    return [$lenient, $strict];
}
