package com.example.tls

import java.security.cert.X509Certificate
import javax.net.ssl.HostnameVerifier
import javax.net.ssl.HttpsURLConnection
import javax.net.ssl.X509TrustManager
import okhttp3.OkHttpClient

class TrustAllManager : X509TrustManager {
    override fun checkClientTrusted(chain: Array<X509Certificate>, authType: String) {}

    // ruleid: kotlin.tls-trust-all
    override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {}

    override fun getAcceptedIssuers(): Array<X509Certificate> = arrayOf()
}

class DelegatingManager(private val delegate: X509TrustManager) : X509TrustManager {
    override fun checkClientTrusted(chain: Array<X509Certificate>, authType: String) =
        delegate.checkClientTrusted(chain, authType)

    // ok: kotlin.tls-trust-all
    override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {
        delegate.checkServerTrusted(chain, authType)
    }

    override fun getAcceptedIssuers(): Array<X509Certificate> = delegate.acceptedIssuers
}

object Clients {
    fun insecure(): OkHttpClient {
        val trustAll = object : X509TrustManager {
            override fun checkClientTrusted(chain: Array<X509Certificate>, authType: String) {}
            // ruleid: kotlin.tls-trust-all
            override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {}
            override fun getAcceptedIssuers(): Array<X509Certificate> = arrayOf()
        }
        return OkHttpClient.Builder()
            // ruleid: kotlin.tls-trust-all
            .hostnameVerifier { _, _ -> true }
            .build()
    }

    fun pinned(): OkHttpClient {
        return OkHttpClient.Builder()
            // ok: kotlin.tls-trust-all
            .hostnameVerifier { hostname, _ -> hostname == "api.bank.example" }
            .build()
    }

    fun legacyDefault() {
        // ruleid: kotlin.tls-trust-all
        HttpsURLConnection.setDefaultHostnameVerifier { _, _ -> true }
        // ok: kotlin.tls-trust-all
        HttpsURLConnection.setDefaultHostnameVerifier(HttpsURLConnection.getDefaultHostnameVerifier())
    }
}
