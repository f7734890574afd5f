using System.Diagnostics;
using System.Data.SqlClient;

class Controller {
    // ruleid: cs-method
    public string GetUser(string id) {
        // ruleid: cs-sql-concat
        var cmd = new SqlCommand("select * from users where id = " + id, conn);
        // ok: cs-sql-concat
        var ok = new SqlCommand("select 1", conn);
        // ruleid: cs-process-start
        Process.Start(id);
        // ruleid: cs-binary-formatter
        var f = new BinaryFormatter();
        return id;
    }

    // ok: cs-method
    public void SetUser(string id) {
    }
}
