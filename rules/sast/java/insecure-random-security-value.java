package com.example.auth;

import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.lang3.RandomStringUtils;

public class OtpService {
    private static final Random RANDOM = new Random();
    private static final SecureRandom SECURE = new SecureRandom();
    private final Random jitter = new Random();

    public String generateOtp() {
        // ruleid: java.insecure-random-security-value
        int code = RANDOM.nextInt(1_000_000);
        return String.format("%06d", code);
    }

    public String newPassword() {
        // ruleid: java.insecure-random-security-value
        return RandomStringUtils.randomAlphanumeric(12);
    }

    public void issueReset(User user) {
        // ruleid: java.insecure-random-security-value
        String resetToken = Long.toHexString(new Random().nextLong());
        user.setResetToken(resetToken);
        // ruleid: java.insecure-random-security-value
        user.setPin(String.valueOf(ThreadLocalRandom.current().nextInt(10000)));
    }

    public String generateSecureOtp() {
        // ok: java.insecure-random-security-value
        int code = SECURE.nextInt(1_000_000);
        return String.format("%06d", code);
    }

    public long tokenCacheTtlSeconds() {
        // ok: java.insecure-random-security-value
        return 300 + RANDOM.nextInt(30);
    }

    public long retryDelayMillis() {
        // ok: java.insecure-random-security-value
        return 100 + jitter.nextInt(50);
    }

    public String sampleBucket() {
        // ok: java.insecure-random-security-value
        int bucket = ThreadLocalRandom.current().nextInt(10);
        return "bucket-" + bucket;
    }

    public String newSessionId() {
        byte[] bytes = new byte[32];
        // ok: java.insecure-random-security-value
        SECURE.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    interface User {
        void setResetToken(String token);
        void setPin(String pin);
    }
}
