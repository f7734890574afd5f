//! Sending: one HTTP POST per robot message, one SMTP transaction per email, each judged by its
//! receiver's documented success answer.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use serde_json::Value;
use url::Url;

use crate::config::{Channel, ChannelKind, WebhookUrl};
use crate::error::{Delivery, DeliveryError, Failure};
use crate::redact::{truncate, Scrubber};
use crate::render;
use crate::sign;
use crate::Notification;

/// The time signatures and `Retry-After` dates are computed against; injectable for tests.
pub trait Clock: Send + Sync + fmt::Debug {
    fn now(&self) -> SystemTime;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock stopped at one instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub SystemTime);

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

/// Default bound on one delivery (connect, send, answer).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
/// The most of a response body read; robot answers are a few dozen bytes.
const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// Sends notifications. Holds one HTTP client (connection pool, TLS roots), so a server keeps
/// one `Notifier` rather than calling [`deliver`] per message.
#[derive(Clone, Debug)]
pub struct Notifier {
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
    timeout: Duration,
}

impl Notifier {
    pub fn new() -> Result<Notifier, DeliveryError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("gatehouse-notify/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(5))
            // A robot endpoint does not redirect; following one could send the body, signed,
            // somewhere else.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| {
                DeliveryError::new(
                    ChannelKind::Webhook,
                    Failure::Config,
                    format!("HTTP client: {}", e.without_url()),
                )
            })?;
        Ok(Notifier {
            http,
            clock: Arc::new(SystemClock),
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// Uses `clock` for signatures and `Retry-After` dates.
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Notifier {
        self.clock = Arc::new(clock);
        self
    }

    /// Bounds each delivery (HTTP request and answer, or each SMTP command).
    pub fn with_timeout(mut self, timeout: Duration) -> Notifier {
        self.timeout = timeout;
        self
    }

    pub(crate) fn now(&self) -> SystemTime {
        self.clock.now()
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Renders `notification` for `channel` and sends it.
    pub async fn deliver(
        &self,
        channel: &Channel,
        notification: &Notification,
    ) -> Result<Delivery, DeliveryError> {
        let kind = channel.kind();
        channel
            .validate()
            .map_err(|e| DeliveryError::new(kind, Failure::Config, e.to_string()))?;
        notification
            .validate()
            .map_err(|e| DeliveryError::new(kind, Failure::InvalidNotification, e.to_string()))?;
        match channel {
            Channel::Webhook(c) => {
                let body = to_bytes(&render::webhook(notification));
                let mut headers = HeaderMap::new();
                let mut scrub = scrubber(&c.url);
                for (name, value) in &c.headers {
                    scrub.add(value.expose());
                    // Validated above.
                    if let (Ok(n), Ok(v)) = (
                        HeaderName::from_bytes(name.as_bytes()),
                        HeaderValue::from_str(value.expose()),
                    ) {
                        headers.insert(n, v);
                    }
                }
                if let Some(id) = notification
                    .id
                    .as_deref()
                    .and_then(|id| HeaderValue::from_str(id).ok())
                {
                    headers.insert("x-gatehouse-delivery", id);
                }
                if let Some(secret) = &c.secret {
                    scrub.add(secret.expose());
                    let ts = unix_secs(self.now());
                    headers.insert("x-gatehouse-timestamp", HeaderValue::from(ts));
                    if let Ok(v) =
                        HeaderValue::from_str(&sign::webhook_signature(secret.expose(), ts, &body))
                    {
                        headers.insert("x-gatehouse-signature", v);
                    }
                }
                let answer = self
                    .post(kind, c.url.expose().clone(), headers, body, &scrub)
                    .await?;
                judge_webhook(answer, &scrub)
            }
            Channel::Slack(c) => {
                let scrub = scrubber(&c.url);
                let body = to_bytes(&render::slack(notification));
                let answer = self
                    .post(kind, c.url.expose().clone(), HeaderMap::new(), body, &scrub)
                    .await?;
                judge_slack(answer, &scrub)
            }
            Channel::Wecom(c) => {
                let scrub = scrubber(&c.url);
                let body = to_bytes(&render::wecom(notification));
                let answer = self
                    .post(kind, c.url.expose().clone(), HeaderMap::new(), body, &scrub)
                    .await?;
                judge_robot(kind, answer, &scrub)
            }
            Channel::Dingtalk(c) => {
                let mut scrub = scrubber(&c.url);
                let mut url = c.url.expose().clone();
                if let Some(secret) = &c.secret {
                    scrub.add(secret.expose());
                    let ts = unix_millis(self.now());
                    let sign = sign::dingtalk_sign(secret.expose(), ts);
                    scrub.add(&sign);
                    // `append_pair` form-urlencodes the Base64 (`+`, `/`, `=`), the urlEncode
                    // step DingTalk documents.
                    url.query_pairs_mut()
                        .append_pair("timestamp", &ts.to_string())
                        .append_pair("sign", &sign);
                    scrub.add_all(crate::redact::url_secret_parts(&url));
                }
                let body = to_bytes(&render::dingtalk(notification));
                let answer = self.post(kind, url, HeaderMap::new(), body, &scrub).await?;
                judge_robot(kind, answer, &scrub)
            }
            Channel::Feishu(c) => {
                let mut scrub = scrubber(&c.url);
                let mut message = render::feishu(notification);
                if let (Some(secret), Value::Object(map)) = (&c.secret, &mut message) {
                    scrub.add(secret.expose());
                    let ts = unix_secs(self.now());
                    let sign = sign::feishu_sign(secret.expose(), ts);
                    // Feishu documents the timestamp as a string in the body.
                    map.insert("timestamp".into(), Value::String(ts.to_string()));
                    map.insert("sign".into(), Value::String(sign));
                }
                let body = to_bytes(&message);
                let answer = self
                    .post(kind, c.url.expose().clone(), HeaderMap::new(), body, &scrub)
                    .await?;
                judge_robot(kind, answer, &scrub)
            }
            Channel::Email(c) => crate::smtp::send(self, c, notification).await,
        }
    }

    async fn post(
        &self,
        kind: ChannelKind,
        url: Url,
        mut headers: HeaderMap,
        body: Vec<u8>,
        scrub: &Scrubber,
    ) -> Result<Answer, DeliveryError> {
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        let response = self
            .http
            .post(url)
            .headers(headers)
            .body(body)
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| transport_error(kind, &e, scrub))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, self.now()));
        let mut response = response;
        let mut bytes = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = MAX_RESPONSE_BYTES.saturating_sub(bytes.len());
                    bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    if bytes.len() >= MAX_RESPONSE_BYTES {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => return Err(transport_error(kind, &e, scrub).with_status(status)),
            }
        }
        let answer = Answer {
            kind,
            status,
            retry_after,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        // Shared by every HTTP receiver: rate limiting and server errors are retryable.
        if status == 429 {
            return Err(answer.error(Failure::RateLimited, "rate limited (HTTP 429)", scrub));
        }
        if status >= 500 {
            return Err(answer.error(Failure::ServerError, &format!("HTTP {status}"), scrub));
        }
        if status == 408 {
            return Err(answer.error(Failure::Timeout, "HTTP 408", scrub));
        }
        Ok(answer)
    }
}

/// Renders and sends with a fresh [`Notifier`] (system clock, default timeout).
pub async fn deliver(
    channel: &Channel,
    notification: &Notification,
) -> Result<Delivery, DeliveryError> {
    Notifier::new()?.deliver(channel, notification).await
}

/// An HTTP answer that was neither 429, 408 nor 5xx.
struct Answer {
    kind: ChannelKind,
    status: u16,
    retry_after: Option<Duration>,
    body: String,
}

impl Answer {
    fn error(&self, failure: Failure, what: &str, scrub: &Scrubber) -> DeliveryError {
        let body = self.body.trim();
        let message = if body.is_empty() {
            what.to_owned()
        } else {
            format!("{what}: {}", one_line(body))
        };
        DeliveryError::new(self.kind, failure, scrub.scrub(&message))
            .with_status(self.status)
            .with_retry_after(self.retry_after)
    }

    fn delivered(&self, scrub: &Scrubber) -> Delivery {
        Delivery {
            channel: self.kind,
            status: Some(self.status),
            response: scrub.scrub(&one_line(self.body.trim())),
        }
    }

    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

fn one_line(text: &str) -> String {
    truncate(&text.split_whitespace().collect::<Vec<_>>().join(" "), 200)
}

/// Generic webhook: any 2xx.
fn judge_webhook(answer: Answer, scrub: &Scrubber) -> Result<Delivery, DeliveryError> {
    if answer.is_success() {
        Ok(answer.delivered(scrub))
    } else if (300..400).contains(&answer.status) {
        Err(answer.error(
            Failure::Rejected,
            &format!("HTTP {} (redirects are not followed)", answer.status),
            scrub,
        ))
    } else {
        Err(answer.error(Failure::Rejected, &format!("HTTP {}", answer.status), scrub))
    }
}

/// Slack incoming webhook: success is HTTP 200 with the body `ok`; errors come as 4xx with a
/// short code in the body (`invalid_payload`, `no_service`, `channel_is_archived`, …).
fn judge_slack(answer: Answer, scrub: &Scrubber) -> Result<Delivery, DeliveryError> {
    if answer.status == 200 && answer.body.trim() == "ok" {
        Ok(answer.delivered(scrub))
    } else {
        Err(answer.error(Failure::Rejected, &format!("HTTP {}", answer.status), scrub))
    }
}

/// The robots (WeCom, DingTalk, Feishu) answer HTTP 200 and put the outcome in the JSON body.
fn judge_robot(
    kind: ChannelKind,
    answer: Answer,
    scrub: &Scrubber,
) -> Result<Delivery, DeliveryError> {
    let parsed: Option<Value> = serde_json::from_str(&answer.body).ok();
    let (code, msg) = match (kind, &parsed) {
        // WeCom and DingTalk: `{"errcode":0,"errmsg":"ok"}`.
        (ChannelKind::Wecom | ChannelKind::Dingtalk, Some(v)) => (
            v.get("errcode").and_then(Value::as_i64),
            v.get("errmsg")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        ),
        // Feishu: `{"code":0,"msg":"success","data":{}}`; older hooks answered
        // `{"StatusCode":0,"StatusMessage":"success"}`.
        (ChannelKind::Feishu, Some(v)) => (
            v.get("code")
                .or_else(|| v.get("StatusCode"))
                .and_then(Value::as_i64),
            v.get("msg")
                .or_else(|| v.get("StatusMessage"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        ),
        _ => (None, String::new()),
    };
    match code {
        Some(0) if answer.is_success() => return Ok(answer.delivered(scrub)),
        Some(code) => {
            let (failure, retry_after) = provider_code(kind, code, &msg);
            let what = format!("HTTP {}, code {code}", answer.status);
            let mut err = answer.error(failure, &what, scrub);
            if err.retry_after.is_none() {
                err.retry_after = retry_after;
            }
            return Err(err);
        }
        None => {}
    }
    let what = if answer.is_success() {
        format!("HTTP {} without a result code", answer.status)
    } else {
        format!("HTTP {}", answer.status)
    };
    Err(answer.error(Failure::Rejected, &what, scrub))
}

/// Classifies a provider's result code, with the wait its documentation implies.
fn provider_code(kind: ChannelKind, code: i64, msg: &str) -> (Failure, Option<Duration>) {
    match (kind, code) {
        // Both: -1 is "system busy".
        (ChannelKind::Wecom | ChannelKind::Dingtalk, -1) => (Failure::ServerError, None),
        // WeCom: 45009 "api freq out of limit"; a robot may send 20 messages a minute.
        (ChannelKind::Wecom, 45009) => (Failure::RateLimited, Some(Duration::from_secs(60))),
        // DingTalk: 130101 / 410100 "send too fast": more than 20 a minute throttles the
        // robot for 10 minutes.
        (ChannelKind::Dingtalk, 130101 | 410100) => {
            (Failure::RateLimited, Some(Duration::from_secs(600)))
        }
        // DingTalk: 310000 covers the security settings (keyword, signature, IP allowlist);
        // the message says which.
        (ChannelKind::Dingtalk, 310000) if msg.to_ascii_lowercase().contains("sign") => {
            (Failure::SignatureRejected, None)
        }
        // Feishu: 19021 "sign match fail or timestamp is not within one hour".
        (ChannelKind::Feishu, 19021) => (Failure::SignatureRejected, None),
        // Feishu: 11232 "frequency limited"; a bot may send 100 a minute, 5 a second.
        (ChannelKind::Feishu, 11232) => (Failure::RateLimited, Some(Duration::from_secs(60))),
        _ => (Failure::Rejected, None),
    }
}

fn scrubber(url: &WebhookUrl) -> Scrubber {
    let mut s = Scrubber::new();
    s.add_all(url.secret_parts());
    s.add(url.expose().as_str());
    s
}

fn to_bytes(value: &Value) -> Vec<u8> {
    // Serializing a `Value` to a Vec cannot fail (no I/O, string keys only).
    serde_json::to_vec(value).unwrap_or_default()
}

fn transport_error(kind: ChannelKind, e: &reqwest::Error, scrub: &Scrubber) -> DeliveryError {
    let failure = if e.is_timeout() {
        Failure::Timeout
    } else {
        Failure::Network
    };
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    // Only the causes, never reqwest's own message (it names the URL); the scrubber catches
    // any other echo of it.
    let text = format!("{what}: {}", error_sources(e));
    DeliveryError::new(kind, failure, scrub.scrub(&text))
}

fn error_sources(e: &reqwest::Error) -> String {
    // The top-level message names the URL; the causes below it (I/O, TLS, hyper) do not.
    let mut parts = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        "no detail".to_owned()
    } else {
        parts.join(": ")
    }
}

/// `Retry-After`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn unix_millis(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_date() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(90))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(90));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
