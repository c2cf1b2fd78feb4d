//! Run with: `cargo run --release -p example-bench` (127.0.0.1:3000; set `PORT`).
//!
//! - `AUTH_TOKEN`: when set, a client whose CONNECT auth `token` differs is refused.
//! - `BENCH_EVENTS`: `contract` (default: `echo`, `join`, `broadcast`), `1` (`echo`
//!   only) or `30` (`echo` and 29 more), for the per-connection memory comparison.
//! - `GATEWAY_REDIS_URL`: when set, the node shares its rooms and broadcasts through that
//!   Redis (bench/crowd.sh's two nodes; built with `--features redis`, without which
//!   the app refuses to start with the URL set); in memory otherwise.
//! - The framework's settings, like every app: `GATEWAY_PARSER=msgpack` (the example is
//!   built with the `msgpack` feature), `GATEWAY_TRANSPORTS`, `GATEWAY_HTTP_COMPRESSION`,
//!   ... (the book's "Configuration" chapter).
//!
//! The global allocator is chosen at build time (bench/allocators.sh): the system's
//! (glibc's malloc on Linux; `MALLOC_ARENA_MAX` applies) by default, mimalloc with
//! `--features mimalloc`, jemalloc with `--features jemalloc`. The library sets none;
//! these lines are the ones an app puts in its own `main.rs`.

use socketioxide_gateway::BoxError;

/// mimalloc as the process's allocator (feature `mimalloc`).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// jemalloc as the process's allocator (feature `jemalloc`). Only when `mimalloc` is off:
/// a program has one global allocator, and `--all-features` turns both on.
#[cfg(all(feature = "jemalloc", not(feature = "mimalloc")))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".to_owned());
    let token = std::env::var("AUTH_TOKEN").ok().filter(|t| !t.is_empty());
    let variant = std::env::var("BENCH_EVENTS").unwrap_or_default();
    let variant: example_bench::Variant = variant.parse()?;
    let mut app = example_bench::app(variant, token);
    // One node of several (bench/crowd.sh): the app is in memory unless asked.
    if let Ok(url) = std::env::var(socketioxide_gateway::REDIS_URL_ENV) {
        app = app.redis(url);
    }
    app.serve(format!("127.0.0.1:{port}")).await
}
