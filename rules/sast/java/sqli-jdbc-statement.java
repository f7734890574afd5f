package com.example.accounts;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.sql.DataSource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

public class AccountServlet extends HttpServlet {
    private DataSource dataSource;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String owner = request.getParameter("owner");
        try (Connection conn = dataSource.getConnection()) {
            Statement stmt = conn.createStatement();
            // ruleid: java.sqli-jdbc-statement
            ResultSet rs = stmt.executeQuery("SELECT * FROM accounts WHERE owner = '" + owner + "'");
            rs.close();

            String sort = request.getHeader("X-Sort");
            String sql = String.format("SELECT * FROM accounts ORDER BY %s", sort);
            // ruleid: java.sqli-jdbc-statement
            PreparedStatement bad = conn.prepareStatement(sql);
            bad.executeQuery();

            // ok: java.sqli-jdbc-statement
            PreparedStatement ps = conn.prepareStatement("SELECT * FROM accounts WHERE owner = ?");
            ps.setString(1, owner);
            ps.executeQuery();

            int limit = Integer.parseInt(request.getParameter("limit"));
            // ok: java.sqli-jdbc-statement
            stmt.executeQuery("SELECT * FROM accounts FETCH FIRST " + limit + " ROWS ONLY");

            String table = "accounts";
            // ok: java.sqli-jdbc-statement
            stmt.execute("DELETE FROM " + table + " WHERE closed = 1");
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }
}

@RestController
class TransferController {
    private DataSource dataSource;

    @GetMapping("/transfers")
    public int search(@RequestParam("iban") String iban, @RequestParam long minAmount) throws SQLException {
        try (Connection conn = dataSource.getConnection(); Statement stmt = conn.createStatement()) {
            // ruleid: java.sqli-jdbc-statement
            stmt.executeUpdate("UPDATE transfers SET seen = 1 WHERE iban = '" + iban + "'");
            // ok: java.sqli-jdbc-statement
            stmt.executeUpdate("UPDATE transfers SET seen = 1 WHERE amount > " + minAmount);
            return 0;
        }
    }

    @GetMapping("/transfers/{id}")
    public void delete(@PathVariable String id) throws SQLException {
        try (Connection conn = dataSource.getConnection(); Statement stmt = conn.createStatement()) {
            // ruleid: java.sqli-jdbc-statement
            stmt.addBatch("DELETE FROM transfers WHERE id = " + id);
            stmt.executeBatch();
        }
    }
}
