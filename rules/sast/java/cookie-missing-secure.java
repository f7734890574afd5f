package com.example.session;

import java.io.IOException;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class RememberMeServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Cookie remember = new Cookie("remember_me", "token-value");
        remember.setHttpOnly(true);
        remember.setMaxAge(86400);
        // ruleid: java.cookie-missing-secure
        response.addCookie(remember);

        Cookie device = new Cookie("device_id", "abc");
        // ruleid: java.cookie-missing-secure
        device.setSecure(false);
        device.setHttpOnly(true);
        response.addCookie(device);

        Cookie session = new Cookie("SESSION", "xyz");
        session.setSecure(true);
        session.setHttpOnly(true);
        // ok: java.cookie-missing-secure
        response.addCookie(session);
    }

    protected void logout(HttpServletResponse response) {
        Cookie cleared = new Cookie("SESSION", "");
        cleared.setMaxAge(0);
        if (response != null) {
            cleared.setSecure(true);
        }
        cleared.setHttpOnly(true);
        // ok: java.cookie-missing-secure
        response.addCookie(cleared);
    }

    protected void language(HttpServletResponse response) {
        Cookie lang = new Cookie("lang", "en");
        // ruleid: java.cookie-missing-secure
        response.addCookie(lang);
        Cookie theme = new Cookie("theme", "dark");
        theme.setSecure(true);
        // ok: java.cookie-missing-secure
        response.addCookie(theme);
    }
}
