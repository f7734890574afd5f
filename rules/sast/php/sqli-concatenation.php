<?php

function find_account(mysqli $conn)
{
    $owner = $_GET['owner'];
    // ruleid: php.sqli-concatenation
    $result = mysqli_query($conn, "SELECT * FROM accounts WHERE owner = '" . $owner . "'");
    // ruleid: php.sqli-concatenation
    $conn->query("DELETE FROM sessions WHERE token = '{$_COOKIE['token']}'");
    $id = intval($_GET['id']);
    // ok: php.sqli-concatenation
    mysqli_query($conn, "SELECT * FROM accounts WHERE id = " . $id);
    return $result;
}

function find_transfers(PDO $pdo)
{
    $iban = $_POST['iban'];
    $sql = "SELECT * FROM transfers WHERE iban = '$iban'";
    // ruleid: php.sqli-concatenation
    $rows = $pdo->query($sql)->fetchAll();
    // ok: php.sqli-concatenation
    $stmt = $pdo->prepare('SELECT * FROM transfers WHERE iban = ?');
    $stmt->execute([$iban]);
    // ok: php.sqli-concatenation
    $pdo->query('SELECT * FROM transfers WHERE iban = ' . $pdo->quote($iban));
    return $rows;
}

class LedgerController
{
    public function index($request)
    {
        $sort = $request->input('sort');
        // ruleid: php.sqli-concatenation
        return DB::table('entries')->orderByRaw($sort . ' DESC')->get();
    }

    public function show($request)
    {
        // ok: php.sqli-concatenation
        return DB::table('entries')->whereRaw('account = ?', [$request->input('account')])->get();
    }
}
