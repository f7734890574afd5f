package com.example.tls;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSession;
import okhttp3.OkHttpClient;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;

public class Clients {
    public void lenientDefault() {
        HttpsURLConnection.setDefaultHostnameVerifier(new HostnameVerifier() {
            // ruleid: java.hostnameverifier-accept-all
            @Override
            public boolean verify(String hostname, SSLSession session) {
                return true;
            }
        });
    }

    public OkHttpClient okhttp() {
        return new OkHttpClient.Builder()
                // ruleid: java.hostnameverifier-accept-all
                .hostnameVerifier((hostname, session) -> true)
                .build();
    }

    public CloseableHttpClient apache() {
        return HttpClients.custom()
                // ruleid: java.hostnameverifier-accept-all
                .setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE)
                .build();
    }

    public CloseableHttpClient apacheDefault() {
        return HttpClients.custom()
                // ok: java.hostnameverifier-accept-all
                .setSSLHostnameVerifier(new DefaultHostnameVerifier())
                .build();
    }

    public OkHttpClient pinnedHost() {
        return new OkHttpClient.Builder()
                // ok: java.hostnameverifier-accept-all
                .hostnameVerifier((hostname, session) -> hostname.equals("api.bank.example"))
                .build();
    }
}

class InternalOnlyVerifier implements HostnameVerifier {
    // ok: java.hostnameverifier-accept-all
    @Override
    public boolean verify(String hostname, SSLSession session) {
        return hostname.endsWith(".bank.internal");
    }
}
