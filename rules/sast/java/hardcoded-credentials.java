package com.example.config;

import com.auth0.jwt.algorithms.Algorithm;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import javax.crypto.spec.SecretKeySpec;

public class Infrastructure {
    public Connection legacyConnection() throws Exception {
        // ruleid: java.hardcoded-credentials
        return DriverManager.getConnection("jdbc:postgresql://db:5432/core", "core_app", "S3cr3t!2024");
    }

    public HikariDataSource dataSource() {
        HikariDataSource ds = new HikariDataSource();
        ds.setUsername("core_app");
        // ruleid: java.hardcoded-credentials
        ds.setPassword("S3cr3t!2024");
        return ds;
    }

    public Algorithm jwtAlgorithm() {
        // ruleid: java.hardcoded-credentials
        return Algorithm.HMAC256("my-super-secret-signing-key");
    }

    public SecretKeySpec aesKey() {
        // ruleid: java.hardcoded-credentials
        return new SecretKeySpec("0123456789abcdef".getBytes(StandardCharsets.UTF_8), "AES");
    }

    public Connection fromEnvironment() throws Exception {
        // ok: java.hardcoded-credentials
        return DriverManager.getConnection(System.getenv("DB_URL"), System.getenv("DB_USER"), System.getenv("DB_PASSWORD"));
    }

    public Algorithm jwtFromVault(String secret) {
        // ok: java.hardcoded-credentials
        return Algorithm.HMAC256(secret);
    }

    public KeyStore truststore(java.io.InputStream in) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        // ok: java.hardcoded-credentials
        ks.load(in, System.getenv("TRUSTSTORE_PASSWORD").toCharArray());
        return ks;
    }

    public Connection embedded() throws Exception {
        // ok: java.hardcoded-credentials
        return DriverManager.getConnection("jdbc:h2:mem:test", "sa", "");
    }
}
