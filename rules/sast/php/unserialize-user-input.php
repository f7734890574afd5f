<?php

function load_cart()
{
    // ruleid: php.unserialize-user-input
    $cart = unserialize($_COOKIE['cart']);
    $prefs = base64_decode($_POST['prefs']);
    // ruleid: php.unserialize-user-input
    $settings = unserialize($prefs);
    // ok: php.unserialize-user-input
    $safe = unserialize($_COOKIE['cart'], ['allowed_classes' => false]);
    // ok: php.unserialize-user-input
    $json = json_decode($_COOKIE['cart'], true);
    return [$cart, $settings, $safe, $json];
}

class ImportController
{
    public function store($request)
    {
        // ruleid: php.unserialize-user-input
        return unserialize($request->getContent());
    }

    public function cached($cache)
    {
        // ok: php.unserialize-user-input
        return unserialize($cache->get('report'));
    }
}
