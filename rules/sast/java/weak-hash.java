package com.example.crypto;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.commons.codec.digest.DigestUtils;

public class Fingerprints {
    public byte[] documentDigest(byte[] doc) throws NoSuchAlgorithmException {
        // ruleid: java.weak-hash
        MessageDigest md = MessageDigest.getInstance("MD5");
        return md.digest(doc);
    }

    public byte[] signatureInput(byte[] doc) throws NoSuchAlgorithmException {
        // ruleid: java.weak-hash
        return MessageDigest.getInstance("SHA-1").digest(doc);
    }

    public String passwordHash(String password) {
        // ruleid: java.weak-hash
        return DigestUtils.sha1Hex(password);
    }

    public String tokenHash(String token) {
        // ruleid: java.weak-hash
        return Hashing.md5().hashString(token, StandardCharsets.UTF_8).toString();
    }

    public byte[] strongDigest(byte[] doc) throws NoSuchAlgorithmException {
        // ok: java.weak-hash
        return MessageDigest.getInstance("SHA-256").digest(doc);
    }

    public String strongHex(String value) {
        // ok: java.weak-hash
        return DigestUtils.sha256Hex(value);
    }

    public String strongGuava(String value) {
        // ok: java.weak-hash
        return Hashing.sha256().hashString(value, StandardCharsets.UTF_8).toString();
    }
}
