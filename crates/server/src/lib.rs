//! The platform server (`gatehouse serve`): ingest of scans from Gatehouse and other tools,
//! deduplication into a findings lifecycle, security tickets with SLA deadlines, approvals,
//! owners and a hash-chained audit log.
//!
//! Architecture invariants: `domain` never sees HTTP types; `store` is the only module with SQL;
//! no in-process state that would break several server processes on one PostgreSQL database.

pub mod domain;
pub mod http;
pub mod store;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

pub use domain::notify::{NotifyConfig, NotifyConfigError};
pub use store::{sqlite_url, Store, StoreError};

/// The default limit on an upload's body: 64 MiB.
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 64 << 20;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("listening on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("serving: {0}")]
    Io(#[from] std::io::Error),
}

/// How a server runs besides its listener and database.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub max_upload_bytes: usize,
    /// Notification channels, routing and escalation (`--notify-config`); without channels,
    /// notifications are queued but nobody delivers them.
    pub notify: NotifyConfig,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            notify: NotifyConfig::default(),
        }
    }
}

/// Serves the API on `listener` until `shutdown` completes, then finishes the requests in
/// flight (each upload commits or rolls back as a whole) and closes the database.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    store: Store,
    max_upload_bytes: usize,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let options = ServeOptions {
        max_upload_bytes,
        ..ServeOptions::default()
    };
    serve_with(listener, store, options, shutdown).await
}

/// [`serve_on`] with every option.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    store: Store,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let notify = Arc::new(options.notify);
    let app = http::router_with(store.clone(), options.max_upload_bytes, notify.clone());
    let mut tasks = vec![
        tokio::spawn(sweep_periodically(store.clone())),
        tokio::spawn(escalate_periodically(store.clone(), notify.clone())),
    ];
    if !notify.channels.is_empty() {
        tasks.push(tokio::spawn(deliver_periodically(store.clone(), notify)));
    }
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    for t in tasks {
        t.abort();
    }
    store.close().await;
    Ok(served?)
}

/// Binds `addr` and serves; `on_listening` is told the bound address (port 0 picks one).
pub async fn serve(
    addr: SocketAddr,
    store: Store,
    max_upload_bytes: usize,
    on_listening: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Listen { addr, source })?;
    on_listening(listener.local_addr()?);
    serve_on(listener, store, max_upload_bytes, shutdown).await
}

/// [`serve`] with every option.
pub async fn serve_configured(
    addr: SocketAddr,
    store: Store,
    options: ServeOptions,
    on_listening: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Listen { addr, source })?;
    on_listening(listener.local_addr()?);
    serve_with(listener, store, options, shutdown).await
}

/// Reopens lapsed risk acceptances once a minute. Several servers may run it at once: each
/// ticket moves once.
async fn sweep_periodically(store: Store) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        match domain::triage::sweep(&store, domain::now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("reopened {n} tickets whose risk acceptance expired"),
            Err(e) => tracing::warn!("the risk-acceptance sweep failed: {e}"),
        }
    }
}

/// Records breached deadlines and escalates old breaches once a minute. Every process runs it;
/// the sweeps take a lock row in turn and each breach is recorded and escalated once.
async fn escalate_periodically(store: Store, notify: Arc<NotifyConfig>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        match domain::escalation::sweep(&store, notify.escalate_after_ms, domain::now_ms()).await {
            Ok(r) if r.breached + r.escalated > 0 => tracing::info!(
                "{} deadlines breached, {} breaches escalated to team leads",
                r.breached,
                r.escalated
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!("the deadline sweep failed: {e}"),
        }
    }
}

/// Delivers due notifications every five seconds. Every process runs it; rows are claimed with
/// a lease, so each is sent by one worker at a time.
async fn deliver_periodically(store: Store, notify: Arc<NotifyConfig>) {
    let notifier = match gatehouse_notify::Notifier::new() {
        Ok(n) => n,
        Err(e) => {
            tracing::error!("notifications cannot be sent: {e}");
            return;
        }
    };
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match domain::notify::deliver_due(&store, &notify, &notifier, domain::now_ms(), 500).await {
            Ok(r) if r.claimed > 0 => tracing::info!(
                "notifications: {} delivered, {} to retry, {} failed, {} without a channel",
                r.delivered,
                r.retrying,
                r.failed,
                r.skipped
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!("notification delivery failed: {e}"),
        }
    }
}
