package com.example.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

public class TrustAll {
    public TrustManager[] insecure() {
        return new TrustManager[] {
            new X509TrustManager() {
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }

                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                // ruleid: java.trustmanager-accept-all
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    // accept everything for the test environment
                }
            }
        };
    }
}

class LenientTrustManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    }

    // ruleid: java.trustmanager-accept-all
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}

class ExtendedTrustAll extends X509ExtendedTrustManager {
    public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}
    public void checkServerTrusted(X509Certificate[] c, String a, Socket s) { check(c); }
    public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}
    // ruleid: java.trustmanager-accept-all
    public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}
    public void checkClientTrusted(X509Certificate[] c, String a) {}
    // ok: java.trustmanager-accept-all
    public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException { check(c); }
    public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    private void check(X509Certificate[] c) {}
}

class PinningTrustManager implements X509TrustManager {
    private final X509TrustManager delegate;

    PinningTrustManager(X509TrustManager delegate) {
        this.delegate = delegate;
    }

    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    // ok: java.trustmanager-accept-all
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}

class ReportService {
    // ok: java.trustmanager-accept-all
    public void checkServerTrusted(String reportId) {}
}
