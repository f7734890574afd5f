<?php

function calculate_fee()
{
    $formula = $_POST['formula'];
    // ruleid: php.code-injection
    $fee = eval('return ' . $formula . ';');
    // ruleid: php.code-injection
    assert("check_limit(" . $_GET['limit'] . ")");
    // ruleid: php.code-injection
    $text = preg_replace('/\{(\w+)\}/e', $_GET['tpl'], 'Dear {name}');
    // ok: php.code-injection
    $clean = preg_replace('/[^0-9.]/', '', $formula);
    // ok: php.code-injection
    eval('return 1 + 1;');
    // ok: php.code-injection
    assert(is_numeric($formula));
    return [$fee, $text, $clean];
}
