package com.example.tls;

import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;

public class ClientContexts {
    public SSLContext legacy() throws NoSuchAlgorithmException {
        // ruleid: java.weak-ssl-context
        return SSLContext.getInstance("SSL");
    }

    public SSLContext tls10() throws NoSuchAlgorithmException {
        // ruleid: java.weak-ssl-context
        return SSLContext.getInstance("TLSv1");
    }

    public SSLContext tls11() throws Exception {
        // ruleid: java.weak-ssl-context
        return SSLContext.getInstance("TLSv1.1", "SunJSSE");
    }

    public SSLContext tls12() throws NoSuchAlgorithmException {
        // ok: java.weak-ssl-context
        return SSLContext.getInstance("TLSv1.2");
    }

    public SSLContext tls13() throws NoSuchAlgorithmException {
        // ok: java.weak-ssl-context
        return SSLContext.getInstance("TLSv1.3");
    }

    public SSLContext defaults() throws NoSuchAlgorithmException {
        // ok: java.weak-ssl-context
        return SSLContext.getInstance("TLS");
    }
}
