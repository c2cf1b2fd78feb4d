//! The baseline server: the benchmark contract hand-written on socketioxide.
//!
//! `PORT` (3000), `AUTH_TOKEN` (unset: no check), `BENCH_EVENTS` (`contract`, `1`, `30`),
//! `GATEWAY_PARSER` (`json`, or `msgpack`: the variable the gateway reads, so that one
//! environment starts both in the same mode); listens on 127.0.0.1.

use bench::Events;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::var("PORT").map_or(Ok(3000), |p| p.parse())?;
    let token = std::env::var("AUTH_TOKEN").ok().filter(|t| !t.is_empty());
    let events: Events = std::env::var("BENCH_EVENTS").unwrap_or_default().parse()?;
    let msgpack = match std::env::var("GATEWAY_PARSER").as_deref() {
        Ok("msgpack") => true,
        Ok("json") | Err(_) => false,
        Ok(other) => {
            return Err(format!("GATEWAY_PARSER: `json` or `msgpack`, got `{other}`").into());
        }
    };
    bench::baseline::bind_and_serve(([127, 0, 0, 1], port).into(), events, token, msgpack).await?;
    Ok(())
}
