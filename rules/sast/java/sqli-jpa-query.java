package com.example.ledger;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class LedgerController {
    @PersistenceContext
    private EntityManager em;

    @GetMapping("/entries")
    public List<?> entries(@RequestParam String account, @RequestParam(defaultValue = "date") String sort) {
        // ruleid: java.sqli-jpa-query
        Query q = em.createQuery("SELECT e FROM Entry e WHERE e.account = '" + account + "'");
        String jpql = "SELECT e FROM Entry e ORDER BY e." + sort;
        // ruleid: java.sqli-jpa-query
        em.createQuery(jpql, Object.class).getResultList();
        return q.getResultList();
    }

    @GetMapping("/entries/{id}")
    public Object entry(@PathVariable("id") String id) {
        // ruleid: java.sqli-jpa-query
        return em.createNativeQuery("SELECT * FROM entry WHERE id = " + id).getSingleResult();
    }

    @GetMapping("/safe/entries")
    public List<?> safeEntries(@RequestParam String account, @RequestParam String id) {
        // ok: java.sqli-jpa-query
        Query q = em.createQuery("SELECT e FROM Entry e WHERE e.account = :account");
        q.setParameter("account", account);
        // ok: java.sqli-jpa-query
        em.createNativeQuery("SELECT * FROM entry WHERE id = ?1").setParameter(1, id).getResultList();
        long n = Long.parseLong(id);
        // ok: java.sqli-jpa-query
        em.createQuery("SELECT e FROM Entry e WHERE e.id > " + n).getResultList();
        return q.getResultList();
    }
}
