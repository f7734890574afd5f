package com.example.security;

import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;

public class SecurityConfig {
    @Bean
    public SecurityFilterChain portal(HttpSecurity http) throws Exception {
        // ruleid: java.spring-csrf-disabled
        http.csrf().disable()
            .authorizeRequests().anyRequest().authenticated();
        return http.build();
    }

    @Bean
    public SecurityFilterChain lambdaStyle(HttpSecurity http) throws Exception {
        // ruleid: java.spring-csrf-disabled
        http.csrf(csrf -> csrf.disable())
            .formLogin(form -> form.loginPage("/login"));
        return http.build();
    }

    @Bean
    public SecurityFilterChain methodRef(HttpSecurity http) throws Exception {
        // ruleid: java.spring-csrf-disabled
        return http.csrf(AbstractHttpConfigurer::disable).build();
    }

    @Bean
    public SecurityFilterChain withCookieToken(HttpSecurity http) throws Exception {
        // ok: java.spring-csrf-disabled
        http.csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse()));
        return http.build();
    }

    @Bean
    public SecurityFilterChain ignoringWebhook(HttpSecurity http) throws Exception {
        // ok: java.spring-csrf-disabled
        http.csrf(csrf -> csrf.ignoringRequestMatchers("/webhooks/**"));
        return http.build();
    }

    @Bean
    public SecurityFilterChain defaults(HttpSecurity http) throws Exception {
        // ok: java.spring-csrf-disabled
        return http.formLogin(form -> form.disable()).build();
    }
}
