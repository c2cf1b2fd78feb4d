//! The baseline server: the benchmark contract hand-written on socketioxide.
//!
//! `PORT` (3000), `AUTH_TOKEN` (unset: no check), `BENCH_EVENTS` (`contract`, `1`, `30`),
//! `GATEWAY_PARSER` (`json`, or `msgpack`: the variable the gateway reads, so that one
//! environment starts both in the same mode), `GATEWAY_PING_INTERVAL` (`100ms`; the
//! gateway's variable too); listens on 127.0.0.1.

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
    let ping_interval = match std::env::var("GATEWAY_PING_INTERVAL") {
        Ok(text) => Some(
            humantime::parse_duration(&text).map_err(|e| format!("GATEWAY_PING_INTERVAL: {e}"))?,
        ),
        Err(_) => None,
    };
    let addr = ([127, 0, 0, 1], port).into();
    bench::baseline::bind_and_serve(addr, events, token, msgpack, ping_interval).await?;
    Ok(())
}
