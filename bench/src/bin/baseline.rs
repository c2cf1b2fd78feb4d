//! The baseline server: the benchmark contract hand-written on socketioxide.
//!
//! `PORT` (3000), `AUTH_TOKEN` (unset: no check), `BENCH_EVENTS` (`contract`, `1`, `30`);
//! listens on 127.0.0.1.

use bench::Events;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::var("PORT").map_or(Ok(3000), |p| p.parse())?;
    let token = std::env::var("AUTH_TOKEN").ok().filter(|t| !t.is_empty());
    let events: Events = std::env::var("BENCH_EVENTS").unwrap_or_default().parse()?;
    bench::baseline::bind_and_serve(([127, 0, 0, 1], port).into(), events, token).await?;
    Ok(())
}
