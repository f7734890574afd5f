//! Delivery over HTTP against a loopback stub that answers as each provider does.

mod common;

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use gatehouse_notify::{render, Channel, DeliveryError, Failure, FixedClock, Notifier};

#[derive(Clone, Debug)]
struct Recorded {
    path_and_query: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    delay: Duration,
}

fn reply(status: u16, body: &str) -> Reply {
    Reply {
        status,
        headers: vec![],
        body: body.to_owned(),
        delay: Duration::ZERO,
    }
}

#[derive(Clone, Default)]
struct Stub {
    requests: Arc<Mutex<Vec<Recorded>>>,
    replies: Arc<Mutex<VecDeque<Reply>>>,
}

async fn handle(State(stub): State<Stub>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default()
        .to_vec();
    stub.requests.lock().unwrap().push(Recorded {
        path_and_query: parts
            .uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect(),
        body,
    });
    let reply = stub
        .replies
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or_else(|| reply(200, "ok"));
    tokio::time::sleep(reply.delay).await;
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap();
    for (name, value) in reply.headers {
        response
            .headers_mut()
            .insert(name, HeaderValue::from_str(&value).unwrap());
    }
    response
}

/// Starts the stub on 127.0.0.1:0; returns it and its base URL.
async fn stub(replies: Vec<Reply>) -> (Stub, String) {
    let stub = Stub::default();
    stub.replies.lock().unwrap().extend(replies);
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(stub.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (stub, format!("http://{addr}"))
}

fn channel(json: serde_json::Value) -> Channel {
    serde_json::from_value(json).unwrap()
}

/// 2023-11-14T22:13:20Z.
const NOW_SECS: u64 = 1_700_000_000;

fn notifier() -> Notifier {
    Notifier::new()
        .unwrap()
        .with_clock(FixedClock(UNIX_EPOCH + Duration::from_secs(NOW_SECS)))
        .with_timeout(Duration::from_secs(5))
}

fn assert_no_secret(err: &DeliveryError, secrets: &[&str]) {
    let shown = format!("{err} {err:?} {}", serde_json::to_string(err).unwrap());
    for s in secrets {
        assert!(!shown.contains(s), "{s} leaked: {shown}");
    }
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

#[tokio::test]
async fn webhook_body_headers_and_signature() {
    let (stub, base) = stub(vec![reply(204, "")]).await;
    let ch = channel(serde_json::json!({
        "type": "webhook", "url": format!("{base}/hooks/gatehouse"), "secret": "whsec-test",
        "headers": {"Authorization": "Bearer tok-123"}
    }));
    let n = common::breached();
    let delivery = notifier().deliver(&ch, &n).await.unwrap();
    assert_eq!(delivery.status, Some(204));

    let requests = stub.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.path_and_query, "/hooks/gatehouse");
    assert_eq!(r.body, serde_json::to_vec(&render::webhook(&n)).unwrap());
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["version"], 1);
    assert_eq!(body["kind"], "deadline_breached");
    assert_eq!(r.headers["content-type"], "application/json; charset=utf-8");
    assert_eq!(r.headers["authorization"], "Bearer tok-123");
    assert_eq!(r.headers["x-gatehouse-delivery"], "outbox-17");
    assert_eq!(r.headers["x-gatehouse-timestamp"], NOW_SECS.to_string());
    // HMAC-SHA256(secret, "{timestamp}.{body}"), hex, computed here independently.
    let mut signed = format!("{NOW_SECS}.").into_bytes();
    signed.extend_from_slice(&r.body);
    let expected: String = hmac_sha256(b"whsec-test", &signed)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        r.headers["x-gatehouse-signature"],
        format!("sha256={expected}")
    );
}

#[tokio::test]
async fn webhook_status_classes() {
    let (_stub, base) = stub(vec![
        reply(500, "boom"),
        Reply {
            headers: vec![("retry-after", "120".into())],
            ..reply(429, "slow down")
        },
        reply(404, "not found"),
        reply(302, ""),
        Reply {
            headers: vec![(
                "retry-after",
                httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(NOW_SECS + 30)),
            )],
            ..reply(503, "")
        },
    ])
    .await;
    let ch = channel(serde_json::json!({"type": "webhook", "url": format!("{base}/h")}));
    let n = common::breached();
    let e = notifier().deliver(&ch, &n).await.unwrap_err();
    assert_eq!(
        (e.failure, e.status, e.is_retryable()),
        (Failure::ServerError, Some(500), true)
    );
    let e = notifier().deliver(&ch, &n).await.unwrap_err();
    assert_eq!(
        (e.failure, e.retry_after),
        (Failure::RateLimited, Some(Duration::from_secs(120)))
    );
    assert!(e.is_retryable());
    let e = notifier().deliver(&ch, &n).await.unwrap_err();
    assert_eq!((e.failure, e.is_retryable()), (Failure::Rejected, false));
    let e = notifier().deliver(&ch, &n).await.unwrap_err();
    assert_eq!((e.failure, e.status), (Failure::Rejected, Some(302)));
    let e = notifier().deliver(&ch, &n).await.unwrap_err();
    assert_eq!(
        (e.failure, e.retry_after),
        (Failure::ServerError, Some(Duration::from_secs(30)))
    );
}

#[tokio::test]
async fn slack_ok_and_errors() {
    let token = "XyZsecretTokenValue123";
    let (stub, base) = stub(vec![
        reply(200, "ok"),
        reply(404, "no_service"),
        reply(400, "invalid_payload"),
    ])
    .await;
    let ch = channel(
        serde_json::json!({"type": "slack", "url": format!("{base}/services/T0AB12/B0CD34/{token}")}),
    );
    let n = common::breached();
    notifier().deliver(&ch, &n).await.unwrap();
    let body: serde_json::Value =
        serde_json::from_slice(&stub.requests.lock().unwrap()[0].body).unwrap();
    assert_eq!(body, render::slack(&n));
    let e = notifier().deliver(&ch, &n).await.unwrap_err();
    assert_eq!((e.failure, e.status), (Failure::Rejected, Some(404)));
    assert!(e.message.contains("no_service"), "{e}");
    assert_no_secret(&e, &[token, "T0AB12", "B0CD34"]);
    let e = notifier().deliver(&ch, &n).await.unwrap_err();
    assert!(e.message.contains("invalid_payload") && !e.is_retryable());
}

#[tokio::test]
async fn wecom_errcodes() {
    let key = "693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa";
    let (stub, base) = stub(vec![
        reply(200, r#"{"errcode":0,"errmsg":"ok"}"#),
        reply(200, r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#),
        reply(200, r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#),
        reply(200, r#"{"errcode":-1,"errmsg":"system busy"}"#),
    ])
    .await;
    let ch = channel(
        serde_json::json!({"type": "wecom", "url": format!("{base}/cgi-bin/webhook/send?key={key}")}),
    );
    let n = common::breached();
    let ok = notifier().deliver(&ch, &n).await.unwrap();
    assert_eq!(ok.status, Some(200));
    let r = stub.requests.lock().unwrap()[0].clone();
    assert_eq!(r.path_and_query, format!("/cgi-bin/webhook/send?key={key}"));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&r.body).unwrap(),
        render::wecom(&n)
    );

    let e = notifier().deliver(&ch, &n).await.unwrap_err();
    assert_eq!(
        (e.failure, e.retry_after),
        (Failure::RateLimited, Some(Duration::from_secs(60)))
    );
    assert_no_secret(&e, &[key]);
    let e = notifier().deliver(&ch, &n).await.unwrap_err();
    assert_eq!(e.failure, Failure::Rejected);
    assert!(
        e.message.contains("93000") && e.message.contains("invalid webhook url"),
        "{e}"
    );
    assert_no_secret(&e, &[key]);
    let e = notifier().deliver(&ch, &n).await.unwrap_err();
    assert_eq!(e.failure, Failure::ServerError);
}

#[tokio::test]
async fn dingtalk_signature_in_query_and_errcodes() {
    let token = "0123456789abcdef0123";
    let (stub, base) = stub(vec![
        reply(200, r#"{"errcode":0,"errmsg":"ok"}"#),
        reply(200, r#"{"errcode":310000,"errmsg":"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}"#),
        reply(200, r#"{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}"#),
    ])
    .await;
    let ch = channel(serde_json::json!({
        "type": "dingtalk", "url": format!("{base}/robot/send?access_token={token}"), "secret": "secret"
    }));
    let n = common::breached();
    // The clock in milliseconds: DingTalk's timestamp unit.
    let notifier = Notifier::new().unwrap().with_clock(FixedClock(
        UNIX_EPOCH + Duration::from_millis(1_700_000_000_000),
    ));
    notifier.deliver(&ch, &n).await.unwrap();
    let r = stub.requests.lock().unwrap()[0].clone();
    // Expected sign: Base64(HMAC-SHA256("secret", "1700000000000\nsecret")), URL-encoded.
    let raw = base64::engine::general_purpose::STANDARD
        .encode(hmac_sha256(b"secret", b"1700000000000\nsecret"));
    assert_eq!(raw, "OuzzJR5+xZ4/EYwqtNt6sMYZQMTa/HEGvc9miJe7XzY=");
    assert_eq!(
        r.path_and_query,
        format!("/robot/send?access_token={token}&timestamp=1700000000000&sign=OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D")
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&r.body).unwrap(),
        render::dingtalk(&n)
    );

    let e = notifier.deliver(&ch, &n).await.unwrap_err();
    assert_eq!(
        (e.failure, e.is_retryable()),
        (Failure::SignatureRejected, false)
    );
    assert_no_secret(&e, &[token, "OuzzJR5", "secret\""]);
    let e = notifier.deliver(&ch, &n).await.unwrap_err();
    assert_eq!(
        (e.failure, e.retry_after),
        (Failure::RateLimited, Some(Duration::from_secs(600)))
    );
}

#[tokio::test]
async fn feishu_signature_in_body_and_codes() {
    let hook = "5e3d587e-d78e-4a07-bd07-265f269f86fd";
    let (stub, base) = stub(vec![
        reply(200, r#"{"code":0,"data":{},"msg":"success"}"#),
        reply(200, r#"{"StatusCode":0,"StatusMessage":"success"}"#),
        reply(200, r#"{"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour from current time"}"#),
        reply(200, r#"{"code":11232,"data":{},"msg":"frequency limited psm"}"#),
    ])
    .await;
    let ch = channel(serde_json::json!({
        "type": "feishu", "url": format!("{base}/open-apis/bot/v2/hook/{hook}"), "secret": "secret"
    }));
    let n = common::breached();
    let notifier = Notifier::new()
        .unwrap()
        .with_clock(FixedClock(UNIX_EPOCH + Duration::from_secs(1_599_360_473)));
    notifier.deliver(&ch, &n).await.unwrap();
    let r = stub.requests.lock().unwrap()[0].clone();
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    // Expected sign: Base64(HMAC-SHA256(key = "1599360473\nsecret", message = "")).
    let sign =
        base64::engine::general_purpose::STANDARD.encode(hmac_sha256(b"1599360473\nsecret", b""));
    assert_eq!(body["timestamp"], "1599360473");
    assert_eq!(body["sign"], sign);
    let mut unsigned = body.clone();
    unsigned
        .as_object_mut()
        .unwrap()
        .retain(|k, _| k != "timestamp" && k != "sign");
    assert_eq!(unsigned, render::feishu(&n));

    notifier.deliver(&ch, &n).await.unwrap();
    let e = notifier.deliver(&ch, &n).await.unwrap_err();
    assert_eq!(e.failure, Failure::SignatureRejected);
    assert_no_secret(&e, &[hook]);
    let e = notifier.deliver(&ch, &n).await.unwrap_err();
    assert_eq!(e.failure, Failure::RateLimited);
}

#[tokio::test]
async fn robots_need_a_result_code() {
    let (_stub, base) = stub(vec![
        reply(200, "<html>proxy</html>"),
        reply(200, r#"{"errcode":0}"#),
    ])
    .await;
    let ch =
        channel(serde_json::json!({"type": "wecom", "url": format!("{base}/send?key=k-123456")}));
    let e = notifier()
        .deliver(&ch, &common::breached())
        .await
        .unwrap_err();
    assert_eq!(e.failure, Failure::Rejected);
    notifier().deliver(&ch, &common::breached()).await.unwrap();
}

#[tokio::test]
async fn network_errors_are_retryable_and_redacted() {
    // A port that was just free: nothing listens there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let key = "d0d0cafe-secret-key";
    let ch = channel(
        serde_json::json!({"type": "wecom", "url": format!("http://127.0.0.1:{port}/send?key={key}")}),
    );
    let e = notifier()
        .deliver(&ch, &common::breached())
        .await
        .unwrap_err();
    assert_eq!((e.failure, e.is_retryable()), (Failure::Network, true));
    assert_no_secret(&e, &[key]);
}

#[tokio::test]
async fn slow_receivers_time_out() {
    let (_stub, base) = stub(vec![Reply {
        delay: Duration::from_secs(3),
        ..reply(200, "ok")
    }])
    .await;
    let ch = channel(
        serde_json::json!({"type": "slack", "url": format!("{base}/services/T1/B2/slowToken")}),
    );
    let e = Notifier::new()
        .unwrap()
        .with_timeout(Duration::from_millis(300))
        .deliver(&ch, &common::breached())
        .await
        .unwrap_err();
    assert_eq!((e.failure, e.is_retryable()), (Failure::Timeout, true));
    assert_no_secret(&e, &["slowToken"]);
}

#[tokio::test]
async fn invalid_input_is_permanent_and_sends_nothing() {
    let (stub, base) = stub(vec![]).await;
    let ch = channel(serde_json::json!({"type": "wecom", "url": format!("{base}/send")}));
    let e = notifier()
        .deliver(&ch, &common::breached())
        .await
        .unwrap_err();
    assert_eq!(e.failure, Failure::Config);
    let ch = channel(serde_json::json!({"type": "slack", "url": format!("{base}/s")}));
    let mut n = common::breached();
    n.link = Some("file:///etc/passwd".into());
    let e = notifier().deliver(&ch, &n).await.unwrap_err();
    assert_eq!(
        (e.failure, e.is_retryable()),
        (Failure::InvalidNotification, false)
    );
    assert!(stub.requests.lock().unwrap().is_empty());
}
