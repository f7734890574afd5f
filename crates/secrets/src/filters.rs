//! The checks every candidate goes through before it becomes a finding: placeholders and templating,
//! documented example keys, entropy, and (for generic `name = value` rules) the many values that sit
//! where a secret would but are not one.

/// Shannon entropy in bits per byte.
pub fn shannon_entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Documented example credentials from providers' documentation: never real.
const DOCUMENTED_EXAMPLES: &[&str] = &[
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
    "pk_test_TYooMQauvdEDq54NiTphI7jx",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    "AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI",
];

/// Words that mark a value as a stand-in rather than a credential.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "placeholder",
    "your_",
    "your-",
    "yourapikey",
    "yourkey",
    "yoursecret",
    "yourtoken",
    "yourpassword",
    "redacted",
    "dummy",
    "replace_me",
    "replaceme",
    "replace-me",
    "replace_with",
    "insert_",
    "insert-",
    "notreal",
    "not_real",
    "not-real",
    "not_a_real",
    "notasecret",
    "fakekey",
    "fake_",
    "fake-",
    "_fake",
    "sample",
    "<secret>",
    "<token>",
    "<password>",
    "lorem",
];

/// Whether `s` is a placeholder, a template expression or a documented example rather than a secret.
/// Applied to every rule's secret.
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    if t.is_empty() {
        return true;
    }
    if DOCUMENTED_EXAMPLES.iter().any(|e| t.contains(e)) {
        return true;
    }
    // Templating and interpolation: ${VAR}, {{ var }}, <%= %>, #{var}, %(var)s, $(cmd), {var}.
    const TEMPLATE_MARKS: &[&str] = &["${", "{{", "}}", "<%", "%>", "#{", "%(", "$(", "{%", "%}"];
    if TEMPLATE_MARKS.iter().any(|m| t.contains(m)) {
        return true;
    }
    let b = t.as_bytes();
    // `<your-key>`, `[TOKEN]`, `{token}`: the whole value bracketed.
    if b.len() >= 3
        && matches!(
            (b[0], b[b.len() - 1]),
            (b'<', b'>') | (b'[', b']') | (b'{', b'}')
        )
    {
        return true;
    }
    // `$VAR`, `$env:VAR`, `%VAR%`.
    if is_variable_reference(t) {
        return true;
    }
    let lower = t.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // Masking runs: xxxx, ****, ...., ####, ____, 0000000.
    for run in [
        "xxxx",
        "****",
        "....",
        "####",
        "____",
        "••••",
        "0000000",
        "1234567",
        "abcdefg",
    ] {
        if lower.contains(run) {
            return true;
        }
    }
    // One character repeated, or nearly (e.g. `aaaaaaaaaaaaaaaaaab`).
    let mut counts = [0u32; 256];
    for &c in b {
        counts[c as usize] += 1;
    }
    let max = *counts.iter().max().unwrap_or(&0) as usize;
    if b.len() >= 6 && max * 10 >= b.len() * 8 {
        return true;
    }
    // Masks such as `***`, `...`, `---`.
    b.iter().all(|c| !c.is_ascii_alphanumeric()) && max == b.len()
}

fn is_variable_reference(t: &str) -> bool {
    let ident = |s: &str| {
        let mut c = s.chars();
        c.next()
            .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
            && c.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if let Some(rest) = t.strip_prefix('$') {
        let rest = rest
            .strip_prefix("env:")
            .or_else(|| rest.strip_prefix("ENV:"))
            .unwrap_or(rest);
        return ident(rest);
    }
    t.len() > 2 && t.starts_with('%') && t.ends_with('%') && ident(&t[1..t.len() - 1])
}

/// Languages where a generic secret has to be a string literal: an unquoted value there is an
/// identifier or an expression.
fn is_code_path(path: &str) -> bool {
    const CODE: &[&str] = &[
        "py", "pyi", "js", "mjs", "cjs", "jsx", "ts", "tsx", "java", "kt", "kts", "scala",
        "groovy", "go", "rs", "rb", "php", "cs", "vb", "fs", "swift", "m", "mm", "c", "h", "cc",
        "cpp", "hpp", "cxx", "dart", "lua", "pl", "pm", "r", "jl", "ex", "exs", "erl", "clj",
        "vue", "svelte",
    ];
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((_, ext)) => {
            let ext = ext.to_ascii_lowercase();
            CODE.contains(&ext.as_str())
        }
        None => false,
    }
}

/// Words after the credential word of a key name that say the value is about a credential, not one:
/// `password_reset_url`, `token_type`, `secret_name`, `access_key_id`.
const NON_SECRET_SUFFIX_WORDS: &[&str] = &[
    "url",
    "uri",
    "endpoint",
    "host",
    "path",
    "file",
    "dir",
    "name",
    "type",
    "field",
    "label",
    "hint",
    "policy",
    "length",
    "len",
    "size",
    "count",
    "min",
    "max",
    "regex",
    "pattern",
    "prompt",
    "placeholder",
    "message",
    "msg",
    "error",
    "expiry",
    "expires",
    "expiration",
    "ttl",
    "timeout",
    "header",
    "mode",
    "format",
    "version",
    "enabled",
    "enable",
    "required",
    "valid",
    "reset",
    "changed",
    "strength",
    "rotation",
    "ref",
    "lookup",
    "method",
    "scheme",
    "prefix",
    "suffix",
    "id",
    "index",
    "kind",
    "class",
    "arn",
    "location",
    "question",
    "confirm",
    "confirmation",
    "input",
    "form",
    "option",
    "help",
    "label",
    "title",
    "text",
    "key",
    "keys",
    "store",
    "storage",
    "provider",
    "manager",
    "service",
    "param",
    "parameter",
    "env",
    "variable",
    "var",
    "template",
    "selection",
    "expression",
    "verifier",
    "validator",
    "generator",
    "factory",
    "handler",
    "callback",
    "request",
    "response",
    "cache",
    "lifetime",
    "duration",
    "age",
    "last",
    "used",
    "date",
    "time",
    "created",
    "updated",
    "status",
    "state",
    "usage",
    "period",
    "blob",
    "ciphertext",
    "encrypted",
    "alias",
    "identifier",
];

/// Words anywhere in a key name that say the value is not a usable credential.
const NON_SECRET_ANY_WORDS: &[&str] = &[
    "public",
    "pub",
    "hash",
    "hashed",
    "checksum",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "digest",
    "fingerprint",
    "integrity",
    "uuid",
    "guid",
    "commit",
    "etag",
    "tokenizer",
    "tokens",
    "salt",
    "nonce",
    "iv",
    "next",
    "continuation",
    "page",
    "pagination",
    "cursor",
    "marker",
    "input",
    "output",
    "purchase",
    "csrf",
    "xsrf",
    "sync",
    "example",
    "sample",
    "dummy",
    "fake",
    "mock",
    "placeholder",
    "incorrect",
    "wrong",
    "invalid",
    "bad",
    "protected",
    "ciphertext",
    "encrypted",
    "expose",
];

fn is_credential_word(w: &str) -> bool {
    [
        "passw",
        "pwd",
        "passphrase",
        "secret",
        "token",
        "credential",
        "auth",
        "apikey",
    ]
    .iter()
    .any(|s| w.contains(s))
        || w == "key"
        || w.ends_with("key")
}

fn key_is_about_not_secret(key: &str) -> bool {
    // Split into words: camelCase, snake_case, kebab-case, dotted.
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        let boundary = !c.is_ascii_alphanumeric() || (c.is_ascii_uppercase() && prev_lower);
        if boundary && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        if c.is_ascii_alphanumeric() {
            cur.push(c.to_ascii_lowercase());
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    if words
        .iter()
        .any(|w| NON_SECRET_ANY_WORDS.contains(&w.as_str()))
    {
        return true;
    }
    match words.iter().rposition(|w| is_credential_word(w)) {
        Some(i) => words[i + 1..]
            .iter()
            .any(|w| NON_SECRET_SUFFIX_WORDS.contains(&w.as_str())),
        None => false,
    }
}

const NON_SECRET_VALUES: &[&str] = &[
    "true",
    "false",
    "null",
    "none",
    "nil",
    "undefined",
    "yes",
    "no",
    "on",
    "off",
    "empty",
    "required",
    "optional",
    "string",
    "str",
    "bytes",
    "int",
    "password",
    "passwd",
    "secret",
    "token",
    "pass",
    "test",
    "testing",
    "default",
    "unknown",
    "hidden",
    "masked",
    "disabled",
    "enabled",
    "value",
    "api_key",
    "apikey",
    "secret_key",
    "private",
    "public",
    "bearer",
    "basic",
    "oauth",
    "jwt",
    "sha256",
    "md5",
    "admin_password",
    "todo",
    "tbd",
    "n/a",
    "na",
];

/// What the generic rules (`password = value`) drop in addition to placeholders: environment
/// lookups, encrypted values, code expressions, hashes, UUIDs, paths, URLs, words and key names.
/// `quoted` says whether the value was a quoted string.
pub fn generic_rejects(key: Option<&str>, value: &str, quoted: bool, path: &str) -> bool {
    let mut v = value.trim();
    if !quoted {
        // `if password == other_password:`, `f(password=value)`: trailing syntax is not the value.
        v = v.trim_end_matches([':', ')', ']', '}', '>']);
    }
    let lower = v.to_ascii_lowercase();
    if v.chars().count() < 6 {
        return true;
    }
    if !quoted && is_code_path(path) {
        return true;
    }
    if NON_SECRET_VALUES.contains(&lower.as_str()) {
        return true;
    }
    // `SomeKindOfPassword1`, `my-secret-token`: a value that names what it stands for.
    if ["passw", "secret", "token", "apikey", "api_key"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return true;
    }
    if let Some(key) = key {
        if key_is_about_not_secret(key) {
            return true;
        }
        let kl = key.to_ascii_lowercase();
        // `password = password`, `secret: SECRET`, `token = self.token`.
        if lower == kl || lower.ends_with(&format!(".{kl}")) || kl.ends_with(&lower) {
            return true;
        }
    }
    // Environment and secret-store lookups, encrypted values, hashes.
    const MARKERS: &[&str] = &[
        "os.environ",
        "os.getenv",
        "getenv(",
        "process.env",
        "system.getenv",
        "environment.getenvironmentvariable",
        "env(",
        "env[",
        "env.",
        "secrets.",
        "vars.",
        "config.",
        "settings.",
        "enc(",
        "enc[",
        "vault:",
        "!vault",
        "$ansible_vault",
        "{cipher}",
        "{bcrypt}",
        "{sha",
        "{ssha",
        "{pbkdf2",
        "{md5",
        "$2a$",
        "$2b$",
        "$2y$",
        "$argon2",
        "$pbkdf2",
        "$5$",
        "$6$",
        "sha1-",
        "sha256-",
        "sha384-",
        "sha512-",
        "sha256:",
        "sha1:",
        "md5:",
        "arn:aws:",
        "secretsmanager",
        "keyvault",
        "/run/secrets/",
        "-----begin pgp message",
        "file://",
        "http://",
        "https://",
        "classpath:",
        "ref+",
    ];
    if MARKERS.iter().any(|m| lower.contains(m)) {
        return true;
    }
    // Paths: /etc/x, ./x, ../x, ~/x, C:\x.
    let b = v.as_bytes();
    if b[0] == b'/' || v.starts_with("./") || v.starts_with("../") || v.starts_with("~/") {
        return true;
    }
    if b.len() > 2 && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/') {
        return true;
    }
    // Sentences and phrases.
    if v.contains(' ') {
        return true;
    }
    // Code: calls, indexing, member access on identifiers, casts, concatenation.
    if v.contains("()") || v.contains("](") || v.contains("->") || v.contains("::") {
        return true;
    }
    if let Some(open) = v.find('(') {
        let callee = &v[..open];
        if !callee.is_empty()
            && callee
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        {
            return true;
        }
    }
    if is_dotted_identifier(v) {
        return true;
    }
    // Identifiers in snake or kebab case (`db_password_key`): names, not values.
    if v.bytes()
        .all(|c| c.is_ascii_lowercase() || c == b'_' || c == b'-' || c == b'.')
        && v.bytes().any(|c| c == b'_' || c == b'-' || c == b'.')
    {
        return true;
    }
    // All-uppercase constants (`DB_PASSWORD`).
    if v.bytes()
        .all(|c| c.is_ascii_uppercase() || c == b'_' || c.is_ascii_digit())
        && v.bytes().any(|c| c == b'_')
    {
        return true;
    }
    if is_uuid(v) {
        return true;
    }
    // HTTP header names (`Access-Control-Allow-Credentials`) and host names.
    if v.split('-').count() > 1
        && v.split('-').all(|w| {
            let mut c = w.chars();
            c.next().is_some_and(|f| f.is_ascii_uppercase()) && c.all(|c| c.is_ascii_lowercase())
        })
    {
        return true;
    }
    if v.contains('.')
        && v.split('.').count() >= 3
        && v.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'-')
    {
        return true;
    }
    // Numbers only (ports, ids, timestamps).
    if v.bytes()
        .all(|c| c.is_ascii_digit() || c == b'.' || c == b'-')
    {
        return true;
    }
    false
}

fn is_dotted_identifier(v: &str) -> bool {
    let mut parts = 0;
    for p in v.split('.') {
        let mut c = p.chars();
        match c.next() {
            Some(f) if f.is_ascii_alphabetic() || f == '_' || f == '$' => {}
            _ => return false,
        }
        if !c.all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

fn is_uuid(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in [
            "${GITHUB_TOKEN}",
            "{{ .Values.password }}",
            "<your-api-key>",
            "xxxxxxxxxxxxxxxx",
            "AKIAIOSFODNN7EXAMPLE",
            "changeme",
            "YOUR_API_KEY_HERE",
            "$DB_PASSWORD",
            "%DB_PASSWORD%",
            "**********",
            "aaaaaaaaaaaaaaaaaa",
            "sk_live_xxxxxxxxxxxxxxxxxxxx",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for s in [
            "ghp_Zq8W3nK0pLr5TbY2vXc9MhJ4dGs7Fa2k9Lq1",
            "Tr0ub4dor&3",
            "p4ssw0rd!Q",
        ] {
            assert!(!is_placeholder(s), "{s}");
        }
    }

    #[test]
    fn generic_values() {
        let rejects = [
            (
                Some("password"),
                "os.environ['DB_PASSWORD']",
                true,
                "a.yaml",
            ),
            (
                Some("password"),
                "ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)",
                true,
                "a.properties",
            ),
            (
                Some("password_hash"),
                "5f4dcc3b5aa765d61d8327deb882cf99",
                true,
                "a.yaml",
            ),
            (
                Some("token_url"),
                "https://auth.internal/token",
                true,
                "a.yaml",
            ),
            (Some("password"), "get_password", false, "app.py"),
            (Some("password"), "self.password", true, "app.yaml"),
            (
                Some("password"),
                "Please enter your password",
                true,
                "a.yaml",
            ),
            (
                Some("secret"),
                "123e4567-e89b-12d3-a456-426614174000",
                true,
                "a.yaml",
            ),
            (Some("password"), "hunt1", true, "a.yaml"),
            (Some("passwordField"), "Zx81!qPwLm", true, "a.yaml"),
            (
                Some("password"),
                "$2b$12$KIXQJx1mD3y5vX8n2kL0Oe",
                true,
                "a.yaml",
            ),
            (
                Some("password"),
                "vault:secret/data/db#password",
                true,
                "a.yaml",
            ),
        ];
        for (k, v, q, p) in rejects {
            assert!(generic_rejects(k, v, q, p), "{k:?} {v}");
        }
        let keeps = [
            (Some("password"), "Zx81!qPwLm", true, "app.py"),
            (Some("DB_PASSWORD"), "s3cr3t-Pr0d-2024", false, ".env"),
            (
                Some("spring.datasource.password"),
                "Tr0ub4dor&3",
                false,
                "a.properties",
            ),
        ];
        for (k, v, q, p) in keeps {
            assert!(!generic_rejects(k, v, q, p), "{k:?} {v}");
        }
    }

    #[test]
    fn entropy() {
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"ab") - 1.0).abs() < 1e-9);
        assert!(shannon_entropy(b"Zq8W3nK0pLr5TbY2vXc9") > 4.0);
    }
}
