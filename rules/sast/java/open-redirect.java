package com.example.login;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.view.RedirectView;

public class LoginServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String next = request.getParameter("next");
        // ruleid: java.open-redirect
        response.sendRedirect(next);
        // ruleid: java.open-redirect
        response.setHeader("Location", request.getHeader("Referer"));
        // ok: java.open-redirect
        response.sendRedirect("/accounts/overview?tab=" + next);
        // ok: java.open-redirect
        response.sendRedirect(request.getContextPath() == null ? "/home" : "/dashboard");
    }
}

@Controller
class SsoController {
    @GetMapping("/sso/return")
    public String back(@RequestParam("returnUrl") String returnUrl) {
        // ruleid: java.open-redirect
        return "redirect:" + returnUrl;
    }

    @GetMapping("/sso/view")
    public RedirectView view(@RequestParam String target, @RequestParam String page) {
        if (page.isEmpty()) {
            // ok: java.open-redirect
            return new RedirectView("/portal/" + page);
        }
        // ruleid: java.open-redirect
        return new RedirectView(target);
    }

    @GetMapping("/sso/local")
    public String local(@RequestParam String account) {
        // ok: java.open-redirect
        return "redirect:/accounts/" + account;
    }
}
