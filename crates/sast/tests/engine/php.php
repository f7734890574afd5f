<?php
function handle($db, $id) {
    // ruleid: php-eval
    eval($id);
    // ruleid: php-query-concat
    mysql_query("select * from t where id = " . $id);
    // ok: php-query-concat
    mysql_query("select 1");
    // ruleid: php-method-call
    $db->query($id);
    // ruleid: php-unserialize-get
    unserialize($_GET['data']);
    // ok: php-unserialize-get
    unserialize($id);
}
