class Dao {
    void find(HttpServletRequest request, Statement stmt) throws Exception {
        String id = request.getParameter("id");
        String q = "select * from users where id = '" + id + "'";
        // ruleid: java-taint-servlet
        stmt.executeQuery(q);
        StringBuilder sb = new StringBuilder();
        sb.append(id);
        // ruleid: java-taint-servlet
        stmt.executeQuery(sb.toString());
        int n = Integer.parseInt(request.getParameter("n"));
        // ok: java-taint-servlet
        stmt.executeQuery("select * from t limit " + n);
        if (id.isEmpty()) {
            q = "select 1";
        } else {
            q = "select 2";
        }
        // ok: java-taint-servlet
        stmt.executeQuery(q);
    }

    void other(Statement stmt, String id) throws Exception {
        // ok: java-taint-servlet
        stmt.executeQuery("select * from users where id = " + id);
    }
}
