package com.example.accounts

import javax.servlet.http.HttpServletRequest
import javax.sql.DataSource
import org.springframework.jdbc.core.JdbcTemplate
import org.springframework.web.bind.annotation.GetMapping
import org.springframework.web.bind.annotation.PathVariable
import org.springframework.web.bind.annotation.RequestParam
import org.springframework.web.bind.annotation.RestController

@RestController
class AccountController(private val dataSource: DataSource, private val jdbcTemplate: JdbcTemplate) {

    @GetMapping("/accounts")
    fun search(@RequestParam owner: String, @RequestParam limit: Int): List<String> {
        dataSource.connection.use { conn ->
            val stmt = conn.createStatement()
            // ruleid: kotlin.sqli-jdbc-statement
            val rs = stmt.executeQuery("SELECT iban FROM account WHERE owner = '$owner'")
            // ok: kotlin.sqli-jdbc-statement
            stmt.executeQuery("SELECT iban FROM account FETCH FIRST $limit ROWS ONLY")
            val ps = conn.prepareStatement("SELECT iban FROM account WHERE owner = ?")
            ps.setString(1, owner)
            // ok: kotlin.sqli-jdbc-statement
            ps.executeQuery()
            rs.close()
        }
        return emptyList()
    }

    @GetMapping("/accounts/{id}")
    fun delete(@PathVariable("id") id: String) {
        // ruleid: kotlin.sqli-jdbc-statement
        jdbcTemplate.update("DELETE FROM account WHERE id = " + id)
        // ok: kotlin.sqli-jdbc-statement
        jdbcTemplate.update("DELETE FROM account WHERE id = ?", id)
    }

    fun legacy(request: HttpServletRequest) {
        val branch = request.getParameter("branch")
        dataSource.connection.use { conn ->
            // ruleid: kotlin.sqli-jdbc-statement
            conn.prepareStatement("SELECT * FROM branch WHERE code = '" + branch + "'").executeQuery()
            // ok: kotlin.sqli-jdbc-statement
            conn.prepareStatement("SELECT * FROM branch WHERE code = '${branch.toLong()}'").executeQuery()
        }
    }
}
