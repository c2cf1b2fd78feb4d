//! The load generator. One scenario per run; prints one JSON record on stdout (and
//! appends it to `--out FILE` when given).
//!
//! ```text
//! loadgen ack|fanout|idle|storm|contract --addr 127.0.0.1:3000 [--pid SERVER_PID]
//!     [--token T] [--server ours|baseline] [--round N] [--label NAME] [--events contract|1|30]
//!     [--warmup 1] [--secs 5] [--clients 50] [--receivers 100] [--window 64]
//!     [--connections 5000] [--warm 256] [--settle 2] [--concurrency 32] [--out FILE]
//!     [--parser json|msgpack]  (msgpack: ack, idle and storm)
//! loadgen wait --addr 127.0.0.1:3000 [--timeout 30]
//! loadgen free-port
//! ```

use std::io::Write as _;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bench::args::Args;
use bench::procfs::clock_ticks_per_sec;
use bench::report::Record;
use bench::scenario::{self, AckConfig, BoxError, FanoutConfig, IdleConfig, StormConfig, Target};

fn secs(args: &Args, key: &str, default: f64) -> Result<Duration, String> {
    Ok(Duration::from_secs_f64(args.parse_or(key, default)?))
}

fn main() -> Result<(), BoxError> {
    let args = Args::from_env()?;
    let command = args.positional.first().map(String::as_str).unwrap_or("");
    match command {
        "free-port" => {
            let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
            println!("{}", listener.local_addr()?.port());
            return Ok(());
        }
        "wait" => {
            let addr: SocketAddr = args.parse_or("addr", ([127, 0, 0, 1], 3000).into())?;
            let deadline = Instant::now() + secs(&args, "timeout", 30.0)?;
            while std::net::TcpStream::connect(addr).is_err() {
                if Instant::now() > deadline {
                    return Err(format!("nothing listens on {addr}").into());
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            return Ok(());
        }
        "ack" | "fanout" | "idle" | "storm" | "contract" => {}
        _ => {
            return Err(
                "usage: loadgen ack|fanout|idle|storm|contract|wait|free-port --addr HOST:PORT ..."
                    .into(),
            );
        }
    }
    let target = Target {
        addr: args.parse_or("addr", ([127, 0, 0, 1], 3000).into())?,
        namespace: args.get("namespace").unwrap_or("/bench").to_owned(),
        token: args.get("token").map(str::to_owned),
        pid: args.get("pid").map(str::parse).transpose()?,
        wire: args.parse_or("parser", bench::sio::Wire::Json)?,
    };
    if target.wire == bench::sio::Wire::MsgPack && matches!(command, "fanout" | "contract") {
        return Err(format!("`{command}` speaks JSON only; msgpack: ack, idle, storm").into());
    }
    let ticks = clock_ticks_per_sec();
    let warmup = secs(&args, "warmup", 1.0)?;
    let duration = secs(&args, "secs", 5.0)?;
    let metrics = scenario::run_local(async {
        match command {
            "ack" => {
                let cfg = AckConfig {
                    clients: args.parse_or("clients", 50)?,
                    warmup,
                    duration,
                };
                scenario::ack(&target, &cfg, ticks).await
            }
            "fanout" => {
                let cfg = FanoutConfig {
                    receivers: args.parse_or("receivers", 100)?,
                    window: args.parse_or("window", 64)?,
                    warmup,
                    duration,
                };
                scenario::fanout(&target, &cfg, ticks).await
            }
            "idle" => {
                let cfg = IdleConfig {
                    connections: args.parse_or("connections", 5000)?,
                    warm: args.parse_or("warm", 256)?,
                    settle: secs(&args, "settle", 2.0)?,
                };
                scenario::idle(&target, &cfg).await
            }
            "storm" => {
                let cfg = StormConfig {
                    concurrency: args.parse_or("concurrency", 32)?,
                    warmup,
                    duration,
                };
                scenario::storm(&target, &cfg, ticks).await
            }
            _ => {
                scenario::contract(&target, args.parse_or("events", bench::Events::Contract)?).await
            }
        }
    })??;
    let record = Record {
        scenario: args.get("label").unwrap_or(command).to_owned(),
        server: args.get("server").unwrap_or("unknown").to_owned(),
        round: args.parse_or("round", 1)?,
        metrics,
    };
    let line = serde_json::to_string(&record)?;
    println!("{line}");
    if let Some(path) = args.get("out") {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        writeln!(file, "{line}")?;
    }
    Ok(())
}
