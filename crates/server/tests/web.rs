//! The web pages: sign-in with a cookie session, the start page, sign-out, CSRF refusal.

mod common;

use common::{Backend, TestServer};
use gatehouse_server::domain::Role;

for_each_backend!(
    signing_in_sets_a_strict_cookie_and_signing_out_ends_the_session,
    a_failed_sign_in_says_nothing_about_the_email,
    cookie_changes_need_the_csrf_token,
);

const PASSWORD: &str = "correct horse battery";

struct Answer {
    status: u16,
    location: Option<String>,
    set_cookie: Vec<String>,
    content_type: String,
    body: String,
}

/// One request, redirects not followed, with optional cookie, headers and form body.
fn send(
    s: &TestServer,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    headers: &[(&str, &str)],
    form: Option<&str>,
) -> Answer {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let mut req = agent.request(method, &format!("{}{path}", s.url));
    if let Some(c) = cookie {
        req = req.set("Cookie", c);
    }
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let res = match form {
        Some(f) => req
            .set("Content-Type", "application/x-www-form-urlencoded")
            .send_string(f),
        None => req.call(),
    };
    let resp = match res {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {path}: {e}"),
    };
    Answer {
        status: resp.status(),
        location: resp.header("Location").map(str::to_string),
        set_cookie: resp
            .all("Set-Cookie")
            .iter()
            .map(|s| s.to_string())
            .collect(),
        content_type: resp.content_type().to_string(),
        body: resp.into_string().unwrap_or_default(),
    }
}

fn form(email: &str, password: &str) -> String {
    format!(
        "email={}&password={}",
        email.replace('@', "%40"),
        password.replace(' ', "+")
    )
}

/// Signs in through the form; returns the `name=value` of the session cookie.
fn sign_in(s: &TestServer, email: &str) -> (String, Answer) {
    let a = send(s, "POST", "/login", None, &[], Some(&form(email, PASSWORD)));
    assert_eq!(a.status, 303, "{}", a.body);
    let cookie = a.set_cookie[0].split(';').next().unwrap().to_string();
    (cookie, a)
}

fn audit_actions(s: &TestServer) -> Vec<String> {
    let (events, _) = s.rt.block_on(s.store.audit_log()).unwrap();
    events.into_iter().map(|e| e.action).collect()
}

fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    page[at..at + 64].to_string()
}

fn signing_in_sets_a_strict_cookie_and_signing_out_ends_the_session(b: Backend) {
    let s = TestServer::start(&b);
    s.person("Ada", "ada@example.org", Role::Security, PASSWORD, &[]);

    // Not signed in: the start page sends the browser to the sign-in page.
    let a = send(&s, "GET", "/", None, &[], None);
    assert_eq!(a.status, 303);
    assert_eq!(a.location.as_deref(), Some("/login"));
    let a = send(&s, "GET", "/login", None, &[], None);
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "text/html");
    assert!(a.body.contains("<form method=\"post\" action=\"/login\">"));
    assert!(a.body.contains("<label for=\"email\">"));
    assert!(a.body.contains("autocomplete=\"current-password\""));

    let before = audit_actions(&s).len();
    let (cookie, a) = sign_in(&s, "ada@example.org");
    assert_eq!(a.location.as_deref(), Some("/"));
    let set = &a.set_cookie[0];
    assert!(cookie.starts_with("gatehouse_session=ghs_"), "{set}");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(set.contains(flag), "{flag}: {set}");
    }
    assert!(!set.contains("Secure"), "plain HTTP: {set}");
    // Audited as a sign-in through the API is.
    let actions = audit_actions(&s);
    assert_eq!(&actions[before..], ["session.create"]);

    // Behind a TLS-terminating proxy the cookie is Secure.
    let a = send(
        &s,
        "POST",
        "/login",
        None,
        &[("X-Forwarded-Proto", "https")],
        Some(&form("ada@example.org", PASSWORD)),
    );
    assert!(a.set_cookie[0].contains("; Secure"), "{:?}", a.set_cookie);

    // The start page says who is signed in.
    let home = send(&s, "GET", "/", Some(&cookie), &[], None);
    assert_eq!(home.status, 200);
    assert!(home.body.contains("ada@example.org"), "{}", home.body);
    assert!(home.body.contains("(security)"));
    assert!(home.body.contains("action=\"/logout\""));

    // The cookie works for the API's reads too.
    let api = send(&s, "GET", "/api/v1/projects", Some(&cookie), &[], None);
    assert_eq!(api.status, 200, "{}", api.body);

    // Signing out ends the session on the server and clears the cookie.
    let token = csrf_of(&home.body);
    let a = send(
        &s,
        "POST",
        "/logout",
        Some(&cookie),
        &[],
        Some(&format!("csrf={token}")),
    );
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(a.location.as_deref(), Some("/login"));
    assert!(a.set_cookie[0].contains("Max-Age=0"), "{:?}", a.set_cookie);
    assert_eq!(audit_actions(&s).last().unwrap(), "session.delete");
    let a = send(&s, "GET", "/", Some(&cookie), &[], None);
    assert_eq!(a.status, 303, "the session is gone");
    assert!(
        a.set_cookie[0].contains("Max-Age=0"),
        "the stale cookie is cleared"
    );
    let api = send(&s, "GET", "/api/v1/projects", Some(&cookie), &[], None);
    assert_eq!(api.status, 401);

    // A Bearer session works on the pages too.
    let (st, r) = s.call(
        "POST",
        "/api/v1/session",
        None,
        Some(format!(r#"{{"email": "ada@example.org", "password": "{PASSWORD}"}}"#).as_bytes()),
    );
    assert_eq!(st, 201);
    let bearer = format!("Bearer {}", r["token"].as_str().unwrap());
    let a = send(&s, "GET", "/", None, &[("Authorization", &bearer)], None);
    assert_eq!(a.status, 200);
}

fn a_failed_sign_in_says_nothing_about_the_email(b: Backend) {
    let s = TestServer::start(&b);
    s.person("Ada", "ada@example.org", Role::Auditor, PASSWORD, &[]);
    let wrong = send(
        &s,
        "POST",
        "/login",
        None,
        &[],
        Some(&form("ada@example.org", "not the password")),
    );
    let unknown = send(
        &s,
        "POST",
        "/login",
        None,
        &[],
        Some(&form("eve@example.org", "not the password")),
    );
    for a in [&wrong, &unknown] {
        assert_eq!(a.status, 401);
        assert!(a.set_cookie.is_empty());
        assert!(a
            .body
            .contains("role=\"alert\">Wrong email or password.</p>"));
        assert!(a.body.contains("<form"), "the form again");
    }
    assert_eq!(
        wrong.body.replace("ada@example.org", "eve@example.org"),
        unknown.body,
        "the same page but for the email typed"
    );
    // What was typed is escaped.
    let a = send(
        &s,
        "POST",
        "/login",
        None,
        &[],
        Some("email=%3Cscript%3E&password=x"),
    );
    assert!(a.body.contains("value=\"&lt;script&gt;\""), "{}", a.body);
    assert!(!a.body.contains("<script>"));
    let a = send(&s, "POST", "/login", None, &[], Some("email=only"));
    assert_eq!(a.status, 400);
    assert!(!audit_actions(&s).iter().any(|a| a == "session.create"));
}

fn cookie_changes_need_the_csrf_token(b: Backend) {
    let s = TestServer::start(&b);
    s.person("Ada", "ada@example.org", Role::Security, PASSWORD, &[]);
    let (cookie, _) = sign_in(&s, "ada@example.org");
    let home = send(&s, "GET", "/", Some(&cookie), &[], None);
    let token = csrf_of(&home.body);
    let json = [("Content-Type", "application/json")];
    let create = |headers: &[(&str, &str)]| {
        let agent = ureq::AgentBuilder::new().redirects(0).build();
        let mut req = agent
            .post(&format!("{}/api/v1/projects", s.url))
            .set("Cookie", &cookie)
            .set("Content-Type", "application/json");
        for (k, v) in headers {
            req = req.set(k, v);
        }
        match req.send_string(r#"{"name": "from-the-page"}"#) {
            Ok(r) => (r.status(), r.into_string().unwrap()),
            Err(ureq::Error::Status(st, r)) => (st, r.into_string().unwrap()),
            Err(e) => panic!("{e}"),
        }
    };
    // Without the token, with a wrong one, from another origin: refused, nothing created.
    for headers in [
        &[][..],
        &[("X-CSRF-Token", "0000")][..],
        &[
            ("X-CSRF-Token", token.as_str()),
            ("Origin", "https://evil.example"),
        ][..],
    ] {
        let (st, body) = create(headers);
        assert_eq!(st, 403, "{headers:?}: {body}");
        assert!(body.contains("\"csrf\""), "{body}");
    }
    // Sign-out by a form without the token is refused, and the session lives on.
    let a = send(&s, "POST", "/logout", Some(&cookie), &[], Some("csrf=bad"));
    assert_eq!(a.status, 403);
    let a = send(&s, "POST", "/logout", Some(&cookie), &json, None);
    assert_eq!(a.status, 403);
    assert_eq!(send(&s, "GET", "/", Some(&cookie), &[], None).status, 200);
    // A sign-in form posted from another origin is refused.
    let a = send(
        &s,
        "POST",
        "/login",
        None,
        &[("Origin", "https://evil.example")],
        Some(&form("ada@example.org", PASSWORD)),
    );
    assert_eq!(a.status, 403);
    // With the page's token it goes through; Bearer calls need none.
    let (st, body) = create(&[("X-CSRF-Token", token.as_str())]);
    assert_eq!(st, 201, "{body}");
    let (_, p) =
        s.rt.block_on(async { (0, s.store.project_by_name("from-the-page").await) });
    assert!(p.unwrap().is_some());
    let (_, list) =
        s.rt.block_on(async { (0, s.store.audit_log().await.unwrap().0) });
    assert_eq!(
        list.iter()
            .rev()
            .find(|e| e.action == "project.create")
            .unwrap()
            .actor,
        "ada@example.org"
    );
}
