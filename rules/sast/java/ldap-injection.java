package com.example.directory;

import java.io.IOException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.filter.EqualsFilter;
import org.springframework.ldap.support.LdapEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

public class UserLookupServlet extends HttpServlet {
    private DirContext ctx;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getParameter("user");
        SearchControls controls = new SearchControls();
        try {
            // ruleid: java.ldap-injection
            NamingEnumeration<SearchResult> r = ctx.search("ou=people,dc=bank,dc=com", "(uid=" + user + ")", controls);
            String filter = "(&(objectClass=person)(mail=" + request.getParameter("mail") + "))";
            // ruleid: java.ldap-injection
            ctx.search("ou=people,dc=bank,dc=com", filter, controls);
            // ok: java.ldap-injection
            ctx.search("ou=people,dc=bank,dc=com", "(uid={0})", new Object[] {user}, controls);
            // ok: java.ldap-injection
            ctx.search("ou=people,dc=bank,dc=com", "(uid=" + LdapEncoder.filterEncode(user) + ")", controls);
        } catch (NamingException e) {
            throw new IOException(e);
        }
    }
}

@RestController
class DirectoryController {
    private LdapTemplate ldapTemplate;

    @GetMapping("/people")
    public Object people(@RequestParam String name) {
        // ruleid: java.ldap-injection
        ldapTemplate.search("ou=people", "(cn=" + name + ")", (javax.naming.directory.Attributes a) -> a.get("cn"));
        // ok: java.ldap-injection
        return ldapTemplate.search("ou=people", new EqualsFilter("cn", name).encode(), (javax.naming.directory.Attributes a) -> a.get("cn"));
    }
}
