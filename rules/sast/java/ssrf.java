package com.example.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import org.apache.http.client.methods.HttpGet;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

@RestController
public class PreviewController {
    private final RestTemplate restTemplate = new RestTemplate();

    @GetMapping("/preview")
    public String preview(@RequestParam String url, @RequestParam String callback, @RequestParam String id) throws IOException {
        // ruleid: java.ssrf
        String body = restTemplate.getForObject(url, String.class);
        URL target = new URL(callback);
        // ruleid: java.ssrf
        HttpURLConnection conn = (HttpURLConnection) target.openConnection();
        // ruleid: java.ssrf
        HttpGet get = new HttpGet("http://" + url + "/status");
        // ruleid: java.ssrf
        HttpRequest req = HttpRequest.newBuilder().uri(URI.create(callback)).build();

        // ok: java.ssrf
        restTemplate.getForObject("https://rates.internal.example.com/v1/rates/" + id, String.class);
        // ok: java.ssrf
        InputStream in = new URL("https://rates.internal.example.com/v1/health").openStream();
        // ok: java.ssrf
        new HttpGet("https://rates.internal.example.com/v1/accounts/" + id);
        in.close();
        conn.disconnect();
        return body + get + req;
    }
}
