package com.example.search;

import java.io.IOException;
import java.io.PrintWriter;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.owasp.encoder.Encode;
import org.springframework.web.util.HtmlUtils;

public class SearchServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String q = request.getParameter("q");
        response.setContentType("text/html");
        PrintWriter out = response.getWriter();
        // ruleid: java.xss-servlet-writer
        out.println("<h1>Results for " + q + "</h1>");
        // ruleid: java.xss-servlet-writer
        response.getWriter().write(request.getHeader("User-Agent"));
        // ruleid: java.xss-servlet-writer
        out.printf("<p>%s</p>", q);

        // ok: java.xss-servlet-writer
        out.println("<h1>Results for " + Encode.forHtml(q) + "</h1>");
        // ok: java.xss-servlet-writer
        response.getWriter().write(HtmlUtils.htmlEscape(q));
        // ok: java.xss-servlet-writer
        out.println("<p>No results</p>");
    }
}
