package com.example.policies;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.namespace.QName;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

public class PolicyServlet extends HttpServlet {
    private Document policies;
    private final XPath xpath = XPathFactory.newInstance().newXPath();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getParameter("user");
        String role = request.getParameter("role");
        try {
            XPath xp = XPathFactory.newInstance().newXPath();
            // ruleid: java.xpath-injection
            Object node = xp.evaluate("/users/user[name='" + user + "']", policies, XPathConstants.NODE);
            // ruleid: java.xpath-injection
            xp.compile("//policy[@role='" + role + "']").evaluate(policies);
            // ruleid: java.xpath-injection
            xpath.evaluate("count(//account[@owner='" + user + "'])", policies);

            // ok: java.xpath-injection
            xp.evaluate("/users/user[name=$user]", policies, XPathConstants.NODE);
            xp.setXPathVariableResolver((QName name) -> "user".equals(name.getLocalPart()) ? user : null);
            // ok: java.xpath-injection
            xpath.compile("//policy[@role=$role]").evaluate(policies);
            // ok: java.xpath-injection
            java.util.regex.Pattern.compile("^[a-z]+" + role);
        } catch (XPathExpressionException e) {
            throw new IOException(e);
        }
    }
}
