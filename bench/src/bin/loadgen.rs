//! The load generator. One scenario per run; prints one JSON record on stdout (and
//! appends it to `--out FILE` when given).
//!
//! ```text
//! loadgen ack|fanout|idle|storm|contract --addr 127.0.0.1:3000 [--pid SERVER_PID]
//!     [--token T] [--server ours|baseline] [--round N] [--label NAME] [--out FILE]
//!     [--parser json|msgpack]  (msgpack: ack, idle and storm)
//!   ack:      [--clients 50] [--warmup 1] [--secs 5]
//!   fanout:   [--receivers 100] [--window 64] [--warmup 1] [--secs 5]
//!   idle:     [--connections 5000] [--warm 256] [--settle 2]
//!   storm:    [--concurrency 32] [--warmup 1] [--secs 5]
//!   contract: [--events contract|1|30]
//! loadgen crowd --nodes 127.0.0.1:3001=PID,127.0.0.1:3002=PID (or --addr A --pid P)
//!     [--token T] [--connections 2000] [--sources N] [--broadcasts 5] [--interval 1]
//!     [--settle 3] [--concurrency 256] [--deadline 30] [--server NAME] [--out FILE]
//! loadgen wait --addr 127.0.0.1:3000 [--timeout 30]
//! loadgen free-port
//! ```
//!
//! `loadgen help [COMMAND]` or `--help` lists the options. A scenario is a subcommand
//! whose options flatten `TargetArgs` (the server) and `RecordArgs` (the record),
//! and `Timing` when it has a warm-up and a measured window. An option given twice
//! takes its last value, as scripts that append `--addr` or `--parser` rely on.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bench::crowd::{self, CrowdConfig, Node};
use bench::procfs::clock_ticks_per_sec;
use bench::report::Record;
use bench::scenario::{
    self, AckConfig, BoxError, FanoutConfig, IdleConfig, Metrics, StormConfig, Target,
};
use bench::sio::Wire;
use clap::{Args, Parser, Subcommand};

/// The benchmark's load generator: drives a Socket.IO server through real sockets.
#[derive(Debug, Parser)]
#[command(name = "loadgen")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ack round trips: clients in closed loops emit `echo` and wait for its ack.
    #[command(args_override_self = true)]
    Ack(AckArgs),
    /// Fanout: receivers in a room, one sender broadcasting as fast as its window allows.
    #[command(args_override_self = true)]
    Fanout(FanoutArgs),
    /// Idle connections: the server's RSS per connected, idle socket.
    #[command(args_override_self = true)]
    Idle(IdleArgs),
    /// Connect storm: connect, join the namespace, drop, in closed loops.
    #[command(args_override_self = true)]
    Storm(StormArgs),
    /// Checks the server against the benchmark contract.
    #[command(args_override_self = true)]
    Contract(ContractArgs),
    /// A crowd in one room: many connections on one or more nodes, broadcasts to all of
    /// them, every delivery counted.
    #[command(args_override_self = true)]
    Crowd(CrowdArgs),
    /// Waits until something listens on `--addr`.
    #[command(args_override_self = true)]
    Wait(WaitArgs),
    /// Prints a free TCP port of 127.0.0.1.
    FreePort,
}

/// The server under test.
#[derive(Debug, Args)]
struct TargetArgs {
    /// Where the server listens.
    #[arg(long, default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// The server's pid, for its CPU and memory figures.
    #[arg(long)]
    pid: Option<u32>,
    /// The auth token clients present.
    #[arg(long)]
    token: Option<String>,
    /// The namespace.
    #[arg(long, default_value = "/bench")]
    namespace: String,
    /// The Socket.IO parser: `json` or `msgpack`.
    #[arg(long = "parser", value_name = "PARSER", default_value = "json")]
    wire: Wire,
}

impl TargetArgs {
    fn target(&self) -> Target {
        Target {
            addr: self.addr,
            namespace: self.namespace.clone(),
            token: self.token.clone(),
            pid: self.pid,
            wire: self.wire,
        }
    }

    /// The target of a scenario that reads event payloads as JSON text.
    fn json_only(&self, command: &str) -> Result<Target, BoxError> {
        if self.wire == Wire::MsgPack {
            return Err(format!("`{command}` speaks JSON only; msgpack: ack, idle, storm").into());
        }
        Ok(self.target())
    }
}

/// How the record is labelled and where it goes.
#[derive(Debug, Args)]
struct RecordArgs {
    /// The record's scenario name (default: the command).
    #[arg(long)]
    label: Option<String>,
    /// The record's server name (`ours`, `baseline`, ...).
    #[arg(long, default_value = "unknown")]
    server: String,
    /// The record's round.
    #[arg(long, default_value_t = 1)]
    round: u32,
    /// Also append the record (one JSON line) to this file.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// The warm-up and the measured window.
#[derive(Debug, Args)]
struct Timing {
    /// Seconds run before measuring.
    #[arg(long, default_value = "1", value_parser = seconds)]
    warmup: Duration,
    /// Seconds measured.
    #[arg(long, default_value = "5", value_parser = seconds)]
    secs: Duration,
}

#[derive(Debug, Args)]
struct AckArgs {
    #[command(flatten)]
    target: TargetArgs,
    #[command(flatten)]
    record: RecordArgs,
    #[command(flatten)]
    timing: Timing,
    /// Clients, each with one `echo` in flight.
    #[arg(long, default_value_t = 50)]
    clients: usize,
}

#[derive(Debug, Args)]
struct FanoutArgs {
    #[command(flatten)]
    target: TargetArgs,
    #[command(flatten)]
    record: RecordArgs,
    #[command(flatten)]
    timing: Timing,
    /// Sockets in the room.
    #[arg(long, default_value_t = 100)]
    receivers: usize,
    /// The sender's broadcasts in flight.
    #[arg(long, default_value_t = 64)]
    window: usize,
}

#[derive(Debug, Args)]
struct IdleArgs {
    #[command(flatten)]
    target: TargetArgs,
    #[command(flatten)]
    record: RecordArgs,
    /// Connections measured.
    #[arg(long, default_value_t = 5000)]
    connections: usize,
    /// Connections opened and held before the first reading.
    #[arg(long, default_value_t = 256)]
    warm: usize,
    /// Seconds waited before each memory reading.
    #[arg(long, default_value = "2", value_parser = seconds)]
    settle: Duration,
}

#[derive(Debug, Args)]
struct StormArgs {
    #[command(flatten)]
    target: TargetArgs,
    #[command(flatten)]
    record: RecordArgs,
    #[command(flatten)]
    timing: Timing,
    /// Connectors, each in a closed loop.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
}

#[derive(Debug, Args)]
struct ContractArgs {
    #[command(flatten)]
    target: TargetArgs,
    #[command(flatten)]
    record: RecordArgs,
    /// The events the server has: `contract`, `1` or `30`.
    #[arg(long, default_value = "contract")]
    events: bench::Events,
}

#[derive(Debug, Args)]
struct CrowdArgs {
    #[command(flatten)]
    target: TargetArgs,
    #[command(flatten)]
    record: RecordArgs,
    /// The nodes, `ADDR[=PID]` separated by commas (default: `--addr` with `--pid`).
    #[arg(long, value_delimiter = ',')]
    nodes: Vec<Node>,
    /// Connections held, all in the room.
    #[arg(long, default_value_t = 2000)]
    connections: usize,
    /// Loopback source addresses (default: one per 25,000 connections).
    #[arg(long)]
    sources: Option<usize>,
    /// Broadcasts sent, one after the other.
    #[arg(long, default_value_t = 5)]
    broadcasts: usize,
    /// Seconds between a broadcast's last delivery and the next broadcast.
    #[arg(long, default_value = "1", value_parser = seconds)]
    interval: Duration,
    /// Seconds waited after the last connection joined, before the memory reading.
    #[arg(long, default_value = "3", value_parser = seconds)]
    settle: Duration,
    /// Handshakes in flight.
    #[arg(long, default_value_t = 256)]
    concurrency: usize,
    /// Seconds one broadcast may take to reach everyone.
    #[arg(long, default_value = "30", value_parser = seconds)]
    deadline: Duration,
}

#[derive(Debug, Args)]
struct WaitArgs {
    /// The address to wait for.
    #[arg(long, default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// Seconds before giving up.
    #[arg(long, default_value = "30", value_parser = seconds)]
    timeout: Duration,
}

/// A number of seconds (`2`, `0.5`).
fn seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    Duration::try_from_secs_f64(secs).map_err(|e| format!("`{text}`: {e}"))
}

fn main() -> Result<(), BoxError> {
    let ticks = clock_ticks_per_sec();
    let (name, record, metrics) = match Cli::parse().command {
        Command::FreePort => {
            let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
            println!("{}", listener.local_addr()?.port());
            return Ok(());
        }
        Command::Wait(args) => {
            let deadline = Instant::now() + args.timeout;
            while std::net::TcpStream::connect(args.addr).is_err() {
                if Instant::now() > deadline {
                    return Err(format!("nothing listens on {}", args.addr).into());
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            return Ok(());
        }
        Command::Ack(args) => {
            let cfg = AckConfig {
                clients: args.clients,
                warmup: args.timing.warmup,
                duration: args.timing.secs,
            };
            let target = args.target.target();
            let metrics = run(scenario::ack(&target, &cfg, ticks))?;
            ("ack", args.record, metrics)
        }
        Command::Fanout(args) => {
            let cfg = FanoutConfig {
                receivers: args.receivers,
                window: args.window,
                warmup: args.timing.warmup,
                duration: args.timing.secs,
            };
            let target = args.target.json_only("fanout")?;
            let metrics = run(scenario::fanout(&target, &cfg, ticks))?;
            ("fanout", args.record, metrics)
        }
        Command::Idle(args) => {
            let cfg = IdleConfig {
                connections: args.connections,
                warm: args.warm,
                settle: args.settle,
            };
            let target = args.target.target();
            let metrics = run(scenario::idle(&target, &cfg))?;
            ("idle", args.record, metrics)
        }
        Command::Storm(args) => {
            let cfg = StormConfig {
                concurrency: args.concurrency,
                warmup: args.timing.warmup,
                duration: args.timing.secs,
            };
            let target = args.target.target();
            let metrics = run(scenario::storm(&target, &cfg, ticks))?;
            ("storm", args.record, metrics)
        }
        Command::Contract(args) => {
            let target = args.target.json_only("contract")?;
            let metrics = run(scenario::contract(&target, args.events))?;
            ("contract", args.record, metrics)
        }
        Command::Crowd(args) => {
            let target = args.target.json_only("crowd")?;
            let mut nodes = args.nodes;
            if nodes.is_empty() {
                nodes.push(Node {
                    addr: target.addr,
                    pid: target.pid,
                });
            }
            let cfg = CrowdConfig {
                nodes,
                connections: args.connections,
                sources: args
                    .sources
                    .unwrap_or_else(|| CrowdConfig::default_sources(args.connections)),
                broadcasts: args.broadcasts,
                interval: args.interval,
                settle: args.settle,
                concurrency: args.concurrency,
                deadline: args.deadline,
            };
            let metrics = run(crowd::crowd(&target, &cfg, ticks))?;
            ("crowd", args.record, metrics)
        }
    };
    let line = serde_json::to_string(&Record {
        scenario: record.label.unwrap_or_else(|| name.to_owned()),
        server: record.server,
        round: record.round,
        metrics,
    })?;
    println!("{line}");
    if let Some(path) = record.out {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        writeln!(file, "{line}")?;
    }
    Ok(())
}

/// Runs a scenario on the current thread (see [`scenario::run_local`]).
fn run(
    scenario: impl std::future::Future<Output = Result<Metrics, BoxError>>,
) -> Result<Metrics, BoxError> {
    scenario::run_local(scenario)?
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;

    fn parse(line: &str) -> Result<Command, clap::Error> {
        Cli::try_parse_from(std::iter::once("loadgen").chain(line.split_whitespace()))
            .map(|cli| cli.command)
    }

    #[test]
    fn the_command_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// The command lines of bench/*.sh.
    #[test]
    fn reads_the_scripts_command_lines() {
        let Ok(Command::Ack(ack)) = parse(
            "ack --clients 50 --warmup 1 --secs 4 --server ours --round 2 --label ack \
             --out r.jsonl --addr 127.0.0.1:4000 --pid 7 --token t --parser msgpack",
        ) else {
            panic!("ack");
        };
        assert_eq!(ack.clients, 50);
        assert_eq!(ack.timing.secs, Duration::from_secs(4));
        assert_eq!(ack.target.pid, Some(7));
        assert_eq!(ack.target.wire, Wire::MsgPack);
        assert_eq!(ack.record.round, 2);
        assert_eq!(ack.record.label.as_deref(), Some("ack"));
        let Ok(Command::Idle(idle)) = parse("idle --connections 10000 --settle 2 --warm 256")
        else {
            panic!("idle");
        };
        assert_eq!((idle.connections, idle.warm), (10000, 256));
        assert_eq!(idle.settle, Duration::from_secs(2));
        assert!(matches!(
            parse("contract --events 30 --server ours --parser json"),
            Ok(Command::Contract(ContractArgs {
                events: bench::Events::Thirty,
                ..
            }))
        ));
        assert!(matches!(
            parse("fanout --receivers 100 --window 64 --warmup 0.5 --secs 4"),
            Ok(Command::Fanout(_))
        ));
        assert!(matches!(
            parse("storm --concurrency 32 --warmup 1 --secs 4"),
            Ok(Command::Storm(_))
        ));
        assert!(matches!(
            parse("wait --addr 127.0.0.1:3000 --timeout 30"),
            Ok(Command::Wait(_))
        ));
        assert!(matches!(parse("free-port"), Ok(Command::FreePort)));
        let Ok(Command::Crowd(crowd)) = parse(
            "crowd --connections 19800 --broadcasts 5 --token t --out r.jsonl \
             --nodes 127.0.0.1:3001=11,127.0.0.1:3002=12 --server two --round 1 --label two-nodes",
        ) else {
            panic!("crowd");
        };
        assert_eq!(crowd.connections, 19800);
        assert_eq!(crowd.nodes.len(), 2);
        assert_eq!(crowd.nodes[1].pid, Some(12));
        assert_eq!(crowd.sources, None);
        assert!(matches!(
            parse("crowd --connections 2000 --addr 127.0.0.1:3000 --pid 9 --sources 2"),
            Ok(Command::Crowd(CrowdArgs {
                sources: Some(2),
                ..
            }))
        ));
    }

    #[test]
    fn the_last_of_a_repeated_option_wins_and_mistakes_are_refused() {
        let Ok(Command::Ack(ack)) = parse("ack --parser json --parser msgpack") else {
            panic!("ack");
        };
        assert_eq!(ack.target.wire, Wire::MsgPack);
        assert!(parse("ack --clients many").is_err());
        assert!(parse("ack --secs -1").is_err());
        assert!(parse("idle --secs 4").is_err());
        assert!(parse("bogus").is_err());
    }
}
