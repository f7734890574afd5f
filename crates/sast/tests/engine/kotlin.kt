import java.security.MessageDigest

fun run(db: Db, cmd: String) {
    // ruleid: kt-exec
    Runtime.getRuntime().exec(cmd)
    // ruleid: kt-raw-query
    db.rawQuery("select * from t where id = " + cmd, null)
    // ok: kt-raw-query
    db.rawQuery("select 1", null)
    // ruleid: kt-md5
    val d = MessageDigest.getInstance("MD5")
    // ok: kt-md5
    val e = MessageDigest.getInstance("SHA-256")
}
