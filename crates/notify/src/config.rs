//! Channel configuration: one variant per channel, stored by the server as JSON and read from
//! configuration files (TOML). Unknown keys are rejected so a misspelt key is an error, not a
//! silently ignored setting.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

use crate::redact;

/// Where a notification goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Channel {
    /// A generic JSON webhook (any HTTP(S) endpoint).
    Webhook(WebhookConfig),
    /// A Slack incoming webhook.
    Slack(SlackConfig),
    /// A WeCom (企业微信) group robot.
    Wecom(WecomConfig),
    /// A DingTalk (钉钉) custom robot.
    Dingtalk(DingtalkConfig),
    /// A Feishu/Lark (飞书) custom bot.
    Feishu(FeishuConfig),
    /// SMTP email.
    Email(EmailConfig),
}

/// The channel's kind, for logs and records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    Webhook,
    Slack,
    Wecom,
    Dingtalk,
    Feishu,
    Email,
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Webhook => "webhook",
            ChannelKind::Slack => "slack",
            ChannelKind::Wecom => "wecom",
            ChannelKind::Dingtalk => "dingtalk",
            ChannelKind::Feishu => "feishu",
            ChannelKind::Email => "email",
        }
    }
}

impl fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Generic JSON webhook: the body is the documented `version: 1` object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    pub url: WebhookUrl,
    /// Extra request headers (for example `Authorization`); values are treated as secrets.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, Secret>,
    /// HMAC-SHA256 key: when set, requests carry `X-Gatehouse-Timestamp` and
    /// `X-Gatehouse-Signature: sha256=<hex>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Secret>,
}

/// Slack incoming webhook (`https://hooks.slack.com/services/…`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlackConfig {
    pub url: WebhookUrl,
}

/// WeCom group robot (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`); the `key` is the
/// robot's only credential.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WecomConfig {
    pub url: WebhookUrl,
}

/// DingTalk custom robot (`https://oapi.dingtalk.com/robot/send?access_token=…`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DingtalkConfig {
    pub url: WebhookUrl,
    /// The robot's 加签 secret (starts with `SEC`); when set, requests are signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Secret>,
}

/// Feishu/Lark custom bot (`https://open.feishu.cn/open-apis/bot/v2/hook/…`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeishuConfig {
    pub url: WebhookUrl,
    /// The bot's 签名校验 secret; when set, requests are signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Secret>,
}

/// How the SMTP connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    /// Plain text: only for a trusted relay on the same host or network.
    None,
    /// Plain connection upgraded with STARTTLS, which is required (no fallback to plain text).
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
}

impl TlsMode {
    /// The conventional port for the mode: 25, 587 or 465.
    pub fn default_port(self) -> u16 {
        match self {
            TlsMode::None => 25,
            TlsMode::Starttls => 587,
            TlsMode::Tls => 465,
        }
    }
}

/// SMTP email.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    pub host: String,
    /// Defaults to the mode's conventional port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    pub tls: TlsMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Name of the environment variable that holds the password; the password itself is never
    /// part of the configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_env: Option<String>,
    /// Sender, `Name <address>` or a bare address.
    pub from: String,
    /// Addresses that receive every message, besides the notification's own recipients.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
    /// Send an HTML alternative next to the plain-text body.
    #[serde(default = "yes")]
    pub html: bool,
}

fn yes() -> bool {
    true
}

impl EmailConfig {
    pub fn port(&self) -> u16 {
        self.port.unwrap_or_else(|| self.tls.default_port())
    }
}

/// A configuration that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{channel}: the webhook URL must have a `{param}` query parameter")]
    MissingUrlParam {
        channel: ChannelKind,
        param: &'static str,
    },
    #[error("webhook: header name `{0}` is not a valid HTTP header name")]
    BadHeaderName(String),
    #[error("webhook: header `{0}` has a value that is not a valid HTTP header value")]
    BadHeaderValue(String),
    #[error("webhook: header `{0}` is set by Gatehouse and cannot be overridden")]
    ReservedHeader(String),
    #[error("email: `host` is empty")]
    EmptyHost,
    #[error("email: `{field}` is not a valid address: {address}")]
    BadAddress {
        field: &'static str,
        address: String,
    },
    #[error("email: `username` and `password_env` go together")]
    PartialCredentials,
    #[error("email: environment variable `{0}` (password_env) is not set")]
    MissingPasswordEnv(String),
}

/// Headers the crate sets itself.
const RESERVED_HEADERS: [&str; 6] = [
    "content-type",
    "content-length",
    "host",
    "x-gatehouse-signature",
    "x-gatehouse-timestamp",
    "x-gatehouse-delivery",
];

impl Channel {
    pub fn kind(&self) -> ChannelKind {
        match self {
            Channel::Webhook(_) => ChannelKind::Webhook,
            Channel::Slack(_) => ChannelKind::Slack,
            Channel::Wecom(_) => ChannelKind::Wecom,
            Channel::Dingtalk(_) => ChannelKind::Dingtalk,
            Channel::Feishu(_) => ChannelKind::Feishu,
            Channel::Email(_) => ChannelKind::Email,
        }
    }

    /// Checks what deserialization cannot: header names, addresses, required URL parameters.
    /// The server calls it before storing a channel; delivery calls it again.
    pub fn validate(&self) -> Result<(), ConfigError> {
        match self {
            Channel::Webhook(c) => {
                for (name, value) in &c.headers {
                    let lower = name.to_ascii_lowercase();
                    if RESERVED_HEADERS.contains(&lower.as_str()) {
                        return Err(ConfigError::ReservedHeader(name.clone()));
                    }
                    reqwest::header::HeaderName::from_bytes(name.as_bytes())
                        .map_err(|_| ConfigError::BadHeaderName(name.clone()))?;
                    reqwest::header::HeaderValue::from_str(value.expose())
                        .map_err(|_| ConfigError::BadHeaderValue(name.clone()))?;
                }
                Ok(())
            }
            Channel::Slack(_) | Channel::Feishu(_) => Ok(()),
            Channel::Wecom(c) => require_param(ChannelKind::Wecom, &c.url, "key"),
            Channel::Dingtalk(c) => require_param(ChannelKind::Dingtalk, &c.url, "access_token"),
            Channel::Email(c) => {
                if c.host.trim().is_empty() {
                    return Err(ConfigError::EmptyHost);
                }
                if c.username.is_some() != c.password_env.is_some() {
                    return Err(ConfigError::PartialCredentials);
                }
                c.from.parse::<lettre::message::Mailbox>().map_err(|_| {
                    ConfigError::BadAddress {
                        field: "from",
                        address: c.from.clone(),
                    }
                })?;
                for to in &c.to {
                    to.parse::<lettre::message::Mailbox>().map_err(|_| {
                        ConfigError::BadAddress {
                            field: "to",
                            address: to.clone(),
                        }
                    })?;
                }
                Ok(())
            }
        }
    }
}

fn require_param(
    channel: ChannelKind,
    url: &WebhookUrl,
    param: &'static str,
) -> Result<(), ConfigError> {
    if url
        .0
        .query_pairs()
        .any(|(k, v)| k == param && !v.is_empty())
    {
        Ok(())
    } else {
        Err(ConfigError::MissingUrlParam { channel, param })
    }
}

/// A secret string (signing key, header value). Serialized as is, because the server must be
/// able to use it again, but never shown by `Debug`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The plain value, for signing and sending only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// An HTTP(S) webhook URL. Robots keep their credential in the URL (WeCom's `key`, DingTalk's
/// `access_token`, the path of Slack and Feishu hooks), so `Debug` and `Display` show only the
/// redacted form; [`WebhookUrl::expose`] gives the real one for sending.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookUrl(Url);

/// Why a webhook URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("not a valid URL")]
    Invalid,
    #[error("the URL scheme must be http or https")]
    Scheme,
    #[error("the URL has no host")]
    NoHost,
}

impl WebhookUrl {
    pub fn parse(input: &str) -> Result<Self, UrlError> {
        let url = Url::parse(input).map_err(|_| UrlError::Invalid)?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(UrlError::Scheme);
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(UrlError::NoHost);
        }
        Ok(WebhookUrl(url))
    }

    /// The full URL, credentials included. Never log it.
    pub fn expose(&self) -> &Url {
        &self.0
    }

    /// Scheme, host and port, with secret-looking path segments and every query value masked.
    pub fn redacted(&self) -> String {
        redact::redact_url(&self.0)
    }

    /// The substrings of the URL that must not appear in any message.
    pub(crate) fn secret_parts(&self) -> Vec<String> {
        redact::url_secret_parts(&self.0)
    }
}

impl fmt::Debug for WebhookUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WebhookUrl({})", self.redacted())
    }
}

impl fmt::Display for WebhookUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl Serialize for WebhookUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for WebhookUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        // The error names the problem, never the URL (it carries the credential).
        WebhookUrl::parse(&raw).map_err(|e| serde::de::Error::custom(format!("webhook url: {e}")))
    }
}
