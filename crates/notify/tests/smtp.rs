//! Email delivery against a minimal SMTP server on loopback (RFC 5321: greeting, EHLO, AUTH,
//! MAIL, RCPT, DATA, QUIT).

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use gatehouse_notify::{Channel, Failure, Notifier};

#[derive(Debug, Default, Clone)]
struct Session {
    commands: Vec<String>,
    data: String,
}

/// Serves one SMTP session; `rcpt_reply` answers every RCPT (for failure tests).
async fn fake_smtp(rcpt_reply: &'static str) -> (Arc<Mutex<Session>>, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let session = Arc::new(Mutex::new(Session::default()));
    let record = session.clone();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        write
            .write_all(b"220 fake.test ESMTP ready\r\n")
            .await
            .unwrap();
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                break;
            }
            let command = line.trim_end().to_owned();
            record.lock().unwrap().commands.push(command.clone());
            let verb = command
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            let answer: &str = match verb.as_str() {
                "EHLO" => "250-fake.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n",
                "AUTH" => "235 2.7.0 accepted\r\n",
                "MAIL" => "250 2.1.0 ok\r\n",
                "RCPT" => rcpt_reply,
                "DATA" => {
                    write.write_all(b"354 go ahead\r\n").await.unwrap();
                    let mut data = String::new();
                    loop {
                        let mut l = String::new();
                        if lines.read_line(&mut l).await.unwrap_or(0) == 0 || l == ".\r\n" {
                            break;
                        }
                        data.push_str(&l);
                    }
                    record.lock().unwrap().data = data;
                    "250 2.0.0 queued as F00D\r\n"
                }
                "QUIT" => {
                    write.write_all(b"221 2.0.0 bye\r\n").await.unwrap();
                    break;
                }
                _ => "250 ok\r\n",
            };
            write.write_all(answer.as_bytes()).await.unwrap();
        }
    });
    (session, port)
}

fn email_channel(port: u16, extra: serde_json::Value) -> Channel {
    let mut c = serde_json::json!({
        "type": "email", "host": "127.0.0.1", "port": port, "tls": "none",
        "from": "Gatehouse <gatehouse@example.com>", "to": ["security@example.com"]
    });
    c.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    serde_json::from_value(c).unwrap()
}

#[tokio::test]
async fn sends_to_recipients_and_list_with_auth() {
    let (session, port) = fake_smtp("250 2.1.5 ok\r\n").await;
    let var = "GATEHOUSE_NOTIFY_TEST_SMTP_PASSWORD_OK";
    // SAFETY: the variable name is unique to this test; no other thread reads or writes it.
    unsafe { std::env::set_var(var, "hunter2-pass") };
    let ch = email_channel(
        port,
        serde_json::json!({"username": "mailer", "password_env": var}),
    );
    let n = common::breached();
    let delivery = Notifier::new()
        .unwrap()
        .with_timeout(Duration::from_secs(5))
        .deliver(&ch, &n)
        .await
        .unwrap();
    assert_eq!(delivery.status, Some(250));
    assert!(delivery.response.contains("queued as F00D"), "{delivery:?}");

    let s = session.lock().unwrap().clone();
    let auth = s
        .commands
        .iter()
        .find(|c| c.starts_with("AUTH"))
        .expect("AUTH sent");
    let plain = base64::engine::general_purpose::STANDARD.encode("\0mailer\0hunter2-pass");
    assert_eq!(auth, &format!("AUTH PLAIN {plain}"));
    assert!(
        s.commands
            .contains(&"MAIL FROM:<gatehouse@example.com>".to_owned()),
        "{:?}",
        s.commands
    );
    let rcpts: Vec<&String> = s
        .commands
        .iter()
        .filter(|c| c.starts_with("RCPT"))
        .collect();
    assert_eq!(
        rcpts,
        [
            "RCPT TO:<alice@example.com>",
            "RCPT TO:<security@example.com>"
        ]
    );

    // Unfold headers and undo the quoted-printable soft breaks and `=3D` of the ASCII bodies.
    let data = &s
        .data
        .replace("\r\n ", " ")
        .replace("=\r\n", "")
        .replace("=3D", "=");
    assert!(
        data.contains("From: Gatehouse <gatehouse@example.com>\r\n"),
        "{data}"
    );
    assert!(data.contains("security@example.com"), "{data}");
    assert!(data.contains("alice@example.com"), "{data}");
    assert!(
        data.contains(
            "Subject: [Gatehouse] Mitigation deadline breached: SQL injection in *login* <form> &"
        ),
        "{data}"
    );
    assert!(data.contains("To: =?utf-8?b?QWxpY2UgPGFsaWNlPiBMaWRkZWxs?= <alice@example.com>, security@example.com\r\n"), "{data}");
    assert!(
        data.contains("Message-ID: <outbox-17@gatehouse.notify>"),
        "{data}"
    );
    assert!(data.contains("multipart/alternative"), "{data}");
    assert!(
        data.contains("Content-Type: text/plain; charset=utf-8"),
        "{data}"
    );
    assert!(
        data.contains("Content-Type: text/html; charset=utf-8"),
        "{data}"
    );
    assert!(
        data.contains("Open the ticket: https://gatehouse.example/tickets/42?tab=history%281%29"),
        "{data}"
    );
    assert!(
        data.contains(
            "<a href=\"https://gatehouse.example/tickets/42?tab=history%281%29\">Open ticket</a>"
        ),
        "{data}"
    );
    assert!(data.contains("For: Alice <alice> Liddell"), "{data}");
    assert!(!data.contains("hunter2"), "{data}");
}

#[tokio::test]
async fn plain_text_only_when_html_is_off() {
    let (session, port) = fake_smtp("250 ok\r\n").await;
    let ch = email_channel(port, serde_json::json!({"html": false}));
    Notifier::new()
        .unwrap()
        .deliver(&ch, &common::breached())
        .await
        .unwrap();
    let s = session.lock().unwrap().clone();
    assert!(
        !s.commands.iter().any(|c| c.starts_with("AUTH")),
        "no credentials, no AUTH"
    );
    assert!(
        s.data.contains("Content-Type: text/plain; charset=utf-8"),
        "{}",
        s.data
    );
    assert!(!s.data.contains("text/html"), "{}", s.data);
}

#[tokio::test]
async fn reply_codes_decide_retry() {
    let (_s, port) = fake_smtp("550 5.1.1 no such user\r\n").await;
    let e = Notifier::new()
        .unwrap()
        .deliver(
            &email_channel(port, serde_json::json!({})),
            &common::breached(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (e.failure, e.status, e.is_retryable()),
        (Failure::Rejected, Some(550), false)
    );

    let (_s, port) = fake_smtp("451 4.3.0 try later\r\n").await;
    let e = Notifier::new()
        .unwrap()
        .deliver(
            &email_channel(port, serde_json::json!({})),
            &common::breached(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (e.failure, e.status, e.is_retryable()),
        (Failure::ServerError, Some(451), true)
    );
}

#[tokio::test]
async fn missing_password_variable_is_a_config_error() {
    let ch = email_channel(
        1,
        serde_json::json!({"username": "u", "password_env": "GATEHOUSE_NOTIFY_TEST_UNSET_VAR"}),
    );
    let e = Notifier::new()
        .unwrap()
        .deliver(&ch, &common::breached())
        .await
        .unwrap_err();
    assert_eq!(e.failure, Failure::Config);
    assert!(e.message.contains("GATEHOUSE_NOTIFY_TEST_UNSET_VAR"), "{e}");
}

#[tokio::test]
async fn refused_connection_is_retryable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = Notifier::new()
        .unwrap()
        .deliver(
            &email_channel(port, serde_json::json!({})),
            &common::breached(),
        )
        .await
        .unwrap_err();
    assert!(e.is_retryable(), "{e:?}");
}
