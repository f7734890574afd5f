<?php

$page = $_GET['page'];
// ruleid: php.file-inclusion
include 'pages/' . $page . '.php';
// ruleid: php.file-inclusion
require_once($_REQUEST['module']);
$lang = $_COOKIE['lang'];
// ruleid: php.file-inclusion
include_once __DIR__ . "/lang/$lang.php";

// ok: php.file-inclusion
include 'pages/' . basename($page) . '.php';
// ok: php.file-inclusion
require_once __DIR__ . '/bootstrap.php';
$allowed = ['home' => 'pages/home.php', 'faq' => 'pages/faq.php'];
$target = 'pages/home.php';
// ok: php.file-inclusion
include $target;
