package com.example.onboarding;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

public class OnboardingServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String customerId = request.getParameter("customerId");
        HttpSession session = request.getSession();
        // ruleid: java.trust-boundary-session
        session.setAttribute("customerId", customerId);
        // ruleid: java.trust-boundary-session
        request.getSession(true).setAttribute("role", request.getHeader("X-Role"));
        // ruleid: java.trust-boundary-session
        session.setAttribute("branch", "BR-" + request.getParameter("branch"));

        // ok: java.trust-boundary-session
        session.setAttribute("step", 2);
        // ok: java.trust-boundary-session
        session.setAttribute("amount", Long.parseLong(request.getParameter("amount")));
        // ok: java.trust-boundary-session
        request.setAttribute("customerId", customerId);
    }
}
