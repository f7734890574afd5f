import java.io.ObjectInputStream;
import javax.crypto.Cipher;

// ruleid: java-class-extends
public class Handler extends HttpServlet {
    // ruleid: java-method-annotation
    @RequestMapping("/run")
    @Deprecated
    public String run(String cmd) throws Exception {
        // ruleid: java-exec
        Runtime.getRuntime().exec(cmd);
        // ok: java-exec
        Runtime.getRuntime().freeMemory();
        return cmd;
    }

    // ok: java-method-annotation
    public String other(String cmd) {
        return cmd;
    }

    void query(Statement stmt, String id) throws Exception {
        // ruleid: java-statement-query
        stmt.executeQuery("select * from t where id = " + id);
        // ok: java-statement-query
        stmt.executeQuery("select 1");
        // ruleid: java-declaration
        String q = "select " + id;
        // ok: java-declaration
        String r = id;
    }

    void crypto() throws Exception {
        // ruleid: java-weak-cipher
        Cipher.getInstance("DES/ECB/PKCS5Padding");
        // ok: java-weak-cipher
        Cipher.getInstance("AES/GCM/NoPadding");
        // ruleid: java-new-object
        ObjectInputStream in = new ObjectInputStream(null);
    }

    void streams(Reader r) throws Exception {
        try {
            r.read();
        } finally {
            // ok: java-not-inside-finally
            r.close();
        }
        // ruleid: java-not-inside-finally
        r.close();
    }
}

// ok: java-class-extends
class Plain {
}
