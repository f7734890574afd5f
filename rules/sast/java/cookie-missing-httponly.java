package com.example.session;

import java.io.IOException;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class LoginServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Cookie auth = new Cookie("AUTH", "token-value");
        auth.setSecure(true);
        // ruleid: java.cookie-missing-httponly
        response.addCookie(auth);

        Cookie refresh = new Cookie("refresh", "r");
        refresh.setSecure(true);
        // ruleid: java.cookie-missing-httponly
        refresh.setHttpOnly(false);
        response.addCookie(refresh);

        Cookie session = new Cookie("SESSION", "xyz");
        session.setSecure(true);
        session.setHttpOnly(true);
        // ok: java.cookie-missing-httponly
        response.addCookie(session);
    }

    protected void trusted(HttpServletResponse response) {
        Cookie device = new Cookie("device", "d");
        try {
            device.setHttpOnly(true);
        } finally {
            device.setSecure(true);
        }
        // ok: java.cookie-missing-httponly
        response.addCookie(device);
        Cookie mfa = new Cookie("mfa_remember", "m");
        mfa.setSecure(true);
        // ruleid: java.cookie-missing-httponly
        response.addCookie(mfa);
    }

    protected void plain(HttpServletResponse response) {
        Cookie pref = new Cookie("pref", "1");
        pref.setHttpOnly(true);
        // ok: java.cookie-missing-httponly
        response.addCookie(pref);
    }
}
