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

/// Serves the API on `listener` until `shutdown` completes, then finishes the requests in
/// flight (each upload commits or rolls back as a whole) and closes the database.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    store: Store,
    max_upload_bytes: usize,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let app = http::router(store.clone(), max_upload_bytes);
    let sweeper = tokio::spawn(sweep_periodically(store.clone()));
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    sweeper.abort();
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
