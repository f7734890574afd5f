package com.example.web;

import java.util.List;
import javax.servlet.FilterChain;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

public class WebConfig implements WebMvcConfigurer {
    @Override
    public void addCorsMappings(CorsRegistry registry) {
        // ruleid: java.spring-cors-permissive-credentials
        registry.addMapping("/api/**").allowedOriginPatterns("*").allowedMethods("GET", "POST").allowCredentials(true);
        // ok: java.spring-cors-permissive-credentials
        registry.addMapping("/public/**").allowedOrigins("*").allowedMethods("GET");
        // ok: java.spring-cors-permissive-credentials
        registry.addMapping("/portal/**").allowedOrigins("https://portal.bank.example").allowCredentials(true);
    }

    @Bean
    public UrlBasedCorsConfigurationSource corsSource() {
        CorsConfiguration config = new CorsConfiguration();
        config.addAllowedOriginPattern("*");
        config.addAllowedMethod("*");
        // ruleid: java.spring-cors-permissive-credentials
        config.setAllowCredentials(true);
        CorsConfiguration partner = new CorsConfiguration();
        partner.setAllowedOrigins(List.of("https://partner.example"));
        // ok: java.spring-cors-permissive-credentials
        partner.setAllowCredentials(true);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", config);
        return source;
    }
}

@RestController
class BalanceController {
    // ruleid: java.spring-cors-permissive-credentials
    @CrossOrigin(origins = "*", allowCredentials = "true")
    @GetMapping("/balance")
    public String balance() {
        return "0";
    }

    // ok: java.spring-cors-permissive-credentials
    @CrossOrigin(origins = "https://app.bank.example", allowCredentials = "true")
    @GetMapping("/limits")
    public String limits() {
        return "0";
    }
}

class CorsFilter {
    void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) {
        // ruleid: java.spring-cors-permissive-credentials
        response.setHeader("Access-Control-Allow-Origin", request.getHeader("Origin"));
        response.setHeader("Access-Control-Allow-Credentials", "true");
        // ok: java.spring-cors-permissive-credentials
        response.setHeader("Access-Control-Allow-Origin", "https://app.bank.example");
    }
}
