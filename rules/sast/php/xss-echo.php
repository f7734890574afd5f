<?php

$q = $_GET['q'];
// ruleid: php.xss-echo
echo "<h1>Results for " . $q . "</h1>";
// ruleid: php.xss-echo
print("<p>" . $_COOKIE['name'] . "</p>");
// ruleid: php.xss-echo
printf('<a href="%s">back</a>', $_SERVER['HTTP_REFERER']);
// ok: php.xss-echo
echo "<h1>Results for " . htmlspecialchars($q, ENT_QUOTES, 'UTF-8') . "</h1>";
// ok: php.xss-echo
echo '<p>Page ', intval($_GET['page']), '</p>';
// ok: php.xss-echo
echo json_encode(['q' => $q]);
?>
<div>
  <!-- ok: php.xss-echo -->
  <?= htmlspecialchars($_GET['msg'], ENT_QUOTES, 'UTF-8') ?>
</div>
