//! SMTP delivery with lettre (tokio, rustls).

use std::collections::BTreeMap;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{ChannelKind, EmailConfig, TlsMode};
use crate::deliver::Notifier;
use crate::error::{Delivery, DeliveryError, Failure};
use crate::redact::Scrubber;
use crate::{render, Notification};

const KIND: ChannelKind = ChannelKind::Email;

fn config_error(message: impl Into<String>) -> DeliveryError {
    DeliveryError::new(KIND, Failure::Config, message)
}

/// The recipients' addresses and the configured ones, one mailbox per address, sorted.
fn recipients(config: &EmailConfig, n: &Notification) -> Result<Vec<Mailbox>, DeliveryError> {
    let mut by_address: BTreeMap<String, Mailbox> = BTreeMap::new();
    for r in &n.recipients {
        let Some(email) = &r.email else { continue };
        let address: Address = email.trim().parse().map_err(|_| {
            DeliveryError::new(
                KIND,
                Failure::InvalidNotification,
                format!("recipient `{}` has an invalid address", r.name),
            )
        })?;
        let name = r.name.split_whitespace().collect::<Vec<_>>().join(" ");
        by_address
            .entry(address.to_string().to_lowercase())
            .or_insert_with(|| Mailbox::new((!name.is_empty()).then_some(name), address));
    }
    for to in &config.to {
        let mailbox: Mailbox = to
            .parse()
            .map_err(|_| config_error(format!("`to` is not a valid address: {to}")))?;
        by_address
            .entry(mailbox.email.to_string().to_lowercase())
            .or_insert(mailbox);
    }
    if by_address.is_empty() {
        return Err(DeliveryError::new(
            KIND,
            Failure::InvalidNotification,
            "no recipient has an email address and the channel has no `to`",
        ));
    }
    Ok(by_address.into_values().collect())
}

pub(crate) async fn send(
    notifier: &Notifier,
    config: &EmailConfig,
    n: &Notification,
) -> Result<Delivery, DeliveryError> {
    let mut scrub = Scrubber::new();
    let credentials = match (&config.username, &config.password_env) {
        (Some(user), Some(var)) => {
            let password = std::env::var(var).map_err(|_| {
                config_error(format!(
                    "environment variable `{var}` (password_env) is not set"
                ))
            })?;
            scrub.add(&password);
            Some(Credentials::new(user.clone(), password))
        }
        _ => None,
    };
    let from: Mailbox = config
        .from
        .parse()
        .map_err(|_| config_error(format!("`from` is not a valid address: {}", config.from)))?;
    let to = recipients(config, n)?;

    let rendered = render::email(n);
    let mut builder = Message::builder().from(from).subject(rendered.subject);
    for mailbox in to {
        builder = builder.to(mailbox);
    }
    // A stable Message-ID per outbox row lets mail systems drop the copies retries produce.
    if let Some(id) = n.id.as_deref().filter(|id| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
    }) {
        builder = builder.message_id(Some(format!("<{id}@gatehouse.notify>")));
    }
    let message = if config.html {
        builder.multipart(MultiPart::alternative_plain_html(
            rendered.text,
            rendered.html,
        ))
    } else {
        builder.singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(rendered.text),
        )
    }
    .map_err(|e| {
        DeliveryError::new(
            KIND,
            Failure::InvalidNotification,
            format!("could not build the message: {e}"),
        )
    })?;

    let tls = match config.tls {
        TlsMode::None => Tls::None,
        TlsMode::Starttls | TlsMode::Tls => {
            let params = TlsParameters::new(config.host.clone())
                .map_err(|e| config_error(format!("TLS parameters: {e}")))?;
            if config.tls == TlsMode::Starttls {
                Tls::Required(params)
            } else {
                Tls::Wrapper(params)
            }
        }
    };
    let mut transport =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(config.host.clone())
            .port(config.port())
            .tls(tls)
            .timeout(Some(notifier.timeout()));
    if let Some(credentials) = credentials {
        transport = transport.credentials(credentials);
    }
    let transport = transport.build();

    match transport.send(message).await {
        Ok(response) => Ok(Delivery {
            channel: KIND,
            status: response.code().to_string().parse().ok(),
            response: scrub.scrub(&response.message().collect::<Vec<_>>().join(" ")),
        }),
        Err(e) => {
            let failure = if e.is_timeout() {
                Failure::Timeout
            } else if e.is_transient() {
                // SMTP 4xx: try again later.
                Failure::ServerError
            } else if e.is_permanent() {
                Failure::Rejected
            } else if e.is_tls() || e.is_client() {
                Failure::Config
            } else {
                Failure::Network
            };
            let mut err = DeliveryError::new(KIND, failure, scrub.scrub(&e.to_string()));
            if let Some(code) = e.status() {
                err = err.with_status(code.to_string().parse().unwrap_or(0));
            }
            Err(err)
        }
    }
}
