<?php

function after_login()
{
    $next = $_GET['next'];
    // ruleid: php.open-redirect
    header('Location: ' . $next);
    // ok: php.open-redirect
    header('Location: /dashboard');
    // ok: php.open-redirect
    header('X-Frame-Options: ' . 'DENY');
    exit;
}

class SsoController
{
    public function back($request)
    {
        // ruleid: php.open-redirect
        return redirect($request->input('return_url'));
    }

    public function away($request)
    {
        // ruleid: php.open-redirect
        return new RedirectResponse($request->query->get('target'));
    }

    public function home($request)
    {
        // ok: php.open-redirect
        return redirect()->route('accounts.index', ['tab' => $request->input('tab')]);
    }
}

function legacy_return()
{
    $target = $_POST['return'];
    // ruleid: php.open-redirect
    header("Location: $target");
    // ok: php.open-redirect
    header('Location: /accounts?tab=' . urlencode($target));
}
