package com.example.cards;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class CardController {
    private final JdbcTemplate jdbcTemplate;

    public CardController(JdbcTemplate jdbcTemplate) {
        this.jdbcTemplate = jdbcTemplate;
    }

    @GetMapping("/cards")
    public List<Map<String, Object>> cards(@RequestParam String holder, @RequestHeader("X-Branch") String branch) {
        // ruleid: java.sqli-spring-jdbctemplate
        jdbcTemplate.update("UPDATE card SET viewed = 1 WHERE branch = '" + branch + "'");
        String sql = "SELECT * FROM card WHERE holder = '" + holder + "'";
        // ruleid: java.sqli-spring-jdbctemplate
        return jdbcTemplate.queryForList(sql);
    }

    @GetMapping("/cards/count")
    public Integer count(@RequestParam String status) {
        // ruleid: java.sqli-spring-jdbctemplate
        return jdbcTemplate.queryForObject(String.format("SELECT count(*) FROM card WHERE status = '%s'", status), Integer.class);
    }

    @GetMapping("/safe/cards")
    public List<Map<String, Object>> safeCards(@RequestParam String holder, @RequestParam String status) {
        // ok: java.sqli-spring-jdbctemplate
        jdbcTemplate.update("UPDATE card SET viewed = 1 WHERE status = ?", status);
        // ok: java.sqli-spring-jdbctemplate
        jdbcTemplate.queryForObject("SELECT count(*) FROM card WHERE holder = ?", Integer.class, holder);
        // ok: java.sqli-spring-jdbctemplate
        return jdbcTemplate.queryForList("SELECT * FROM card WHERE holder = ?", holder);
    }
}
