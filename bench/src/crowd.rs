//! The crowd scenario: many thousands of WebSocket connections held on one or more nodes,
//! every one in the room `crowd`, then a few broadcasts to all of them, each delivery
//! counted. With two nodes sharing Redis, a broadcast sent on the first node reaches the
//! second node's sockets through the Redis adapter.
//!
//! One loopback source address offers about 28,000 ephemeral ports toward one server
//! address, so the clients are spread over the sources 127.0.0.10, 127.0.0.11, ..., each
//! client with its own port from 10,000 up (`FIRST_PORT`; naming the port is much faster
//! than letting `bind` search for one). The
//! generator's and each server's open-file limit must exceed the connections they hold
//! (`ulimit -n`); the run checks its own and the servers' limits first and says which
//! one is too low.
//!
//! Latency is measured from the sender's emit to the receipt in the generator, which reads
//! all the connections on one thread: the time to the last delivery includes the
//! generator's own work of reading every one of them.

use std::cell::{Cell, RefCell};
use std::io::{self, Write as _};
use std::net::{Ipv4Addr, SocketAddr};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tokio::task::JoinSet;

use crate::procfs::{self, CpuMeter, Pid};
use crate::report::median;
use crate::scenario::{
    BoxError, Metrics, Target, connect_placed, finish, histogram, insert_latency, msg_event, pct,
};
use crate::sio::find_u64;

/// The room every client joins.
const ROOM: &str = "crowd";

/// Connections opened per batch: each batch's readers start (and answer pings) before the
/// next batch connects.
const BATCH: usize = 1000;

/// The first local port of each source address; a source serves at most
/// `65,536 - FIRST_PORT` clients.
const FIRST_PORT: usize = 10_000;

/// Source addresses: 127.0.0.10 to 127.0.0.209.
const MAX_SOURCES: usize = 200;

/// Open files a process needs beyond its connections (listeners, Redis, epoll, stdio).
const SPARE_FILES: u64 = 64;

/// One server of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its pid, for RSS and CPU figures.
    pub pid: Option<u32>,
}

impl std::str::FromStr for Node {
    type Err = String;

    /// `127.0.0.1:3001` or `127.0.0.1:3001=PID`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (addr, pid) = match s.split_once('=') {
            Some((addr, pid)) => (addr, Some(pid)),
            None => (s, None),
        };
        Ok(Node {
            addr: addr
                .parse()
                .map_err(|_| format!("`{addr}` is not an address like 127.0.0.1:3000"))?,
            pid: pid
                .map(|pid| pid.parse().map_err(|_| format!("`{pid}` is not a pid")))
                .transpose()?,
        })
    }
}

/// Settings of the crowd scenario.
#[derive(Debug, Clone)]
pub struct CrowdConfig {
    /// The servers; client `i` connects to node `i % nodes.len()`, the sender to the first.
    pub nodes: Vec<Node>,
    /// Connections held, all in the room.
    pub connections: usize,
    /// Loopback source addresses the connections are spread over (127.0.0.10 onwards,
    /// at most `MAX_SOURCES`).
    pub sources: usize,
    /// Broadcasts sent, one after the other.
    pub broadcasts: usize,
    /// Pause after each broadcast's last delivery (or its deadline).
    pub interval: Duration,
    /// Wait after the last connection joined, before the memory reading.
    pub settle: Duration,
    /// Handshakes in flight.
    pub concurrency: usize,
    /// How long one broadcast may take to reach everyone before the next is sent (what
    /// has not arrived by the end of the run is counted lost).
    pub deadline: Duration,
}

impl CrowdConfig {
    /// One source per 25,000 connections.
    pub fn default_sources(connections: usize) -> usize {
        connections.div_ceil(25_000).max(1)
    }

    /// Client `i`'s server and local address: the node `i % nodes`, and the next free
    /// slot of this process's local addresses (source `slot % sources`, port
    /// `FIRST_PORT + slot / sources`), so that runs at once in one process (the tests)
    /// never share a local address.
    fn place(&self, i: usize) -> (SocketAddr, Option<SocketAddr>) {
        static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);
        let sources = self.sources.clamp(1, MAX_SOURCES);
        let slots = sources * (usize::from(u16::MAX) + 1 - FIRST_PORT);
        let slot = NEXT_SLOT.fetch_add(1, Ordering::Relaxed) % slots;
        let source = Ipv4Addr::new(127, 0, 0, 10 + (slot % sources) as u8);
        // `slots` keeps the port at most 65,535.
        let port = (FIRST_PORT + slot / sources) as u16;
        let node = self.nodes[i % self.nodes.len()].addr;
        (node, Some(SocketAddr::from((source, port))))
    }
}

/// What the readers share (one thread: `Cell`s).
struct Tally {
    /// First deliveries of each broadcast.
    delivered: Vec<Cell<u64>>,
    /// When each broadcast's last first delivery arrived, in nanoseconds since `epoch`.
    last_ns: Vec<Cell<u64>>,
    /// Deliveries of a broadcast a client had already received.
    duplicates: Cell<u64>,
    /// `msg` events that were none of the run's broadcasts.
    strays: Cell<u64>,
    /// Clients that have joined the room.
    joined: Cell<usize>,
    /// Emit to receipt, microseconds.
    latency: RefCell<Histogram<u64>>,
    epoch: Instant,
}

impl Tally {
    fn now_ns(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64
    }

    /// Counts one `msg` event's arguments (`["msg",{...}]`).
    fn count(&self, seen: &mut [bool], data: &[u8]) {
        let (Some(seq), Some(sent)) = (find_u64(data, b"\"seq\":"), find_u64(data, b"\"t\":"))
        else {
            self.strays.set(self.strays.get() + 1);
            return;
        };
        let Some(seen) = usize::try_from(seq).ok().and_then(|seq| seen.get_mut(seq)) else {
            self.strays.set(self.strays.get() + 1);
            return;
        };
        if std::mem::replace(seen, true) {
            self.duplicates.set(self.duplicates.get() + 1);
            return;
        }
        let seq = seq as usize;
        let now = self.now_ns();
        self.delivered[seq].set(self.delivered[seq].get() + 1);
        self.last_ns[seq].set(self.last_ns[seq].get().max(now));
        self.latency
            .borrow_mut()
            .saturating_record((now.saturating_sub(sent) / 1000).max(1));
    }
}

/// The crowd: `connections` clients spread over the nodes and source addresses join the
/// room; a sender (on the first node, not in the room) emits `broadcasts` `broadcast`s
/// to it, each acked, waiting after each for every delivery (or the deadline).
///
/// Figures: `delivered`, `expected`, `lost`, `duplicates`; delivery latency
/// `p50_us`/`p99_us`/`max_us` (emit to receipt; also `p50_ms`, `p99_ms`); `last_delivery_ms` (median over the
/// broadcasts of emit to the last receipt) and `last_delivery_max_ms`; `bytes_per_conn`
/// (the nodes' RSS growth over the connections) and per node `nodeN_bytes_per_conn`,
/// `nodeN_rss_mb`; `server_cpu_ms_per_broadcast` (all nodes, over the broadcasts'
/// windows) and `server_cpu_us_per_delivery`; `connect_s`, `gen_rss_mb`, `gen_cpu_pct`,
/// `gen_cpu_us_per_delivery`.
pub async fn crowd(target: &Target, cfg: &CrowdConfig, ticks: u64) -> Result<Metrics, BoxError> {
    if cfg.nodes.is_empty() || cfg.connections == 0 || cfg.broadcasts == 0 {
        return Err("crowd needs at least one node, one connection and one broadcast".into());
    }
    let sources = cfg.sources.clamp(1, MAX_SOURCES);
    if FIRST_PORT + cfg.connections.div_ceil(sources) > usize::from(u16::MAX) + 1 {
        let most = (usize::from(u16::MAX) + 1 - FIRST_PORT) * sources;
        return Err(format!(
            "{sources} source addresses carry at most {most} connections: raise --sources"
        )
        .into());
    }
    check_open_files(cfg)?;
    let rss = |node: &Node| {
        node.pid
            .map(|pid| procfs::rss_bytes(Pid::Other(pid)))
            .transpose()
    };
    let before = cfg.nodes.iter().map(rss).collect::<io::Result<Vec<_>>>()?;

    let tally = Rc::new(Tally {
        delivered: (0..cfg.broadcasts).map(|_| Cell::new(0)).collect(),
        last_ns: (0..cfg.broadcasts).map(|_| Cell::new(0)).collect(),
        duplicates: Cell::new(0),
        strays: Cell::new(0),
        joined: Cell::new(0),
        latency: RefCell::new(histogram()),
        epoch: Instant::now(),
    });
    let mut tasks = JoinSet::new();
    let started = Instant::now();
    let mut opened = 0;
    while opened < cfg.connections {
        let batch = BATCH.min(cfg.connections - opened);
        let place = |i: usize| cfg.place(opened + i);
        let clients = connect_placed(target, batch, cfg.concurrency, 512, place).await?;
        for mut client in clients {
            let (tally, broadcasts) = (tally.clone(), cfg.broadcasts);
            tasks.spawn_local(async move {
                let acked = client
                    .call(1, "join", format!("\"{ROOM}\"").as_bytes())
                    .await?;
                if acked != b"[true]" {
                    let acked = String::from_utf8_lossy(&acked).into_owned();
                    return Err(io::Error::other(format!("`join` acked {acked}")));
                }
                tally.joined.set(tally.joined.get() + 1);
                let mut seen = vec![false; broadcasts];
                loop {
                    let prefix = &client.decoder.prefix;
                    client
                        .ws
                        .read_batch(|text| {
                            if let Some(data) = msg_event(prefix, text) {
                                tally.count(&mut seen, data);
                            }
                        })
                        .await?;
                }
            });
        }
        opened += batch;
    }
    wait_joined(&mut tasks, &tally, cfg.connections).await?;
    let connect_time = started.elapsed();
    tokio::time::sleep(cfg.settle).await;
    let after = cfg.nodes.iter().map(rss).collect::<io::Result<Vec<_>>>()?;

    let mut sender = connect_placed(target, 1, 1, 4096, |_| (cfg.nodes[0].addr, None))
        .await?
        .pop()
        .ok_or("no sender")?;
    let generator = CpuMeter::start(Pid::Current, ticks)?;
    let mut server_cpu = vec![Duration::ZERO; cfg.nodes.len()];
    let mut last_delivery = Vec::with_capacity(cfg.broadcasts);
    let mut payload = Vec::with_capacity(128);
    for seq in 0..cfg.broadcasts {
        let meters = cfg
            .nodes
            .iter()
            .map(|node| {
                node.pid
                    .map(|pid| CpuMeter::start(Pid::Other(pid), ticks))
                    .transpose()
            })
            .collect::<io::Result<Vec<_>>>()?;
        let sent = tally.now_ns();
        payload.clear();
        write!(
            payload,
            r#"{{"room":"{ROOM}","seq":{seq},"t":{sent},"text":"one event for the whole crowd"}}"#
        )?;
        let acked = sender.call(seq as u64 + 1, "broadcast", &payload).await?;
        if acked != b"[true]" {
            let acked = String::from_utf8_lossy(&acked).into_owned();
            return Err(format!("`broadcast` acked {acked}, expected [true]").into());
        }
        let deadline = Instant::now() + cfg.deadline;
        while tally.delivered[seq].get() < cfg.connections as u64 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        for (total, meter) in server_cpu.iter_mut().zip(&meters) {
            if let Some(meter) = meter {
                *total += meter.stop()?.0;
            }
        }
        let last = tally.last_ns[seq].get();
        if last > 0 {
            last_delivery.push(last.saturating_sub(sent) as f64 / 1e6);
        }
        tokio::time::sleep(cfg.interval).await;
    }
    let (gen_cpu, gen_wall) = generator.stop()?;
    let gen_rss = procfs::rss_bytes(Pid::Current)?;
    finish(&mut tasks).await?;

    let mut m = Metrics::new();
    let n = cfg.connections as f64;
    let expected = cfg.connections as u64 * cfg.broadcasts as u64;
    let delivered: u64 = tally.delivered.iter().map(Cell::get).sum();
    m.insert("connections".into(), n);
    m.insert("nodes".into(), cfg.nodes.len() as f64);
    m.insert("sources".into(), sources as f64);
    m.insert("broadcasts".into(), cfg.broadcasts as f64);
    m.insert("connect_s".into(), connect_time.as_secs_f64());
    m.insert("expected".into(), expected as f64);
    m.insert("delivered".into(), delivered as f64);
    m.insert("lost".into(), expected.saturating_sub(delivered) as f64);
    m.insert("duplicates".into(), tally.duplicates.get() as f64);
    m.insert("strays".into(), tally.strays.get() as f64);
    let latency = tally.latency.borrow();
    insert_latency(&mut m, &latency);
    if !latency.is_empty() {
        m.insert(
            "p50_ms".into(),
            latency.value_at_quantile(0.50) as f64 / 1e3,
        );
        m.insert(
            "p99_ms".into(),
            latency.value_at_quantile(0.99) as f64 / 1e3,
        );
    }
    if let Some(mid) = median(&mut last_delivery) {
        m.insert("last_delivery_ms".into(), mid);
        let max = last_delivery.iter().copied().fold(0.0, f64::max);
        m.insert("last_delivery_max_ms".into(), max);
    }
    let mut grown = 0.0;
    let mut measured = true;
    for (i, (before, after)) in before.iter().zip(&after).enumerate() {
        let (Some(before), Some(after)) = (before, after) else {
            measured = false;
            continue;
        };
        let held = (cfg.connections + cfg.nodes.len() - 1 - i) / cfg.nodes.len();
        let growth = *after as f64 - *before as f64;
        grown += growth;
        m.insert(format!("node{i}_rss_mb"), *after as f64 / 1e6);
        m.insert(
            format!("node{i}_bytes_per_conn"),
            growth / held.max(1) as f64,
        );
    }
    if measured {
        m.insert("bytes_per_conn".into(), grown / n);
    }
    if cfg.nodes.iter().all(|node| node.pid.is_some()) {
        let cpu: Duration = server_cpu.iter().sum();
        m.insert(
            "server_cpu_ms_per_broadcast".into(),
            cpu.as_secs_f64() * 1e3 / cfg.broadcasts as f64,
        );
        if delivered > 0 {
            m.insert(
                "server_cpu_us_per_delivery".into(),
                cpu.as_secs_f64() * 1e6 / delivered as f64,
            );
        }
    }
    m.insert("gen_rss_mb".into(), gen_rss as f64 / 1e6);
    m.insert("gen_cpu_pct".into(), pct(gen_cpu, gen_wall));
    if delivered > 0 {
        m.insert(
            "gen_cpu_us_per_delivery".into(),
            gen_cpu.as_secs_f64() * 1e6 / delivered as f64,
        );
    }
    Ok(m)
}

/// Raises this process's open-file limit to what the run needs (at most the hard
/// limit), then refuses a run the limits cannot hold, naming the process and the limit.
fn check_open_files(cfg: &CrowdConfig) -> Result<(), BoxError> {
    let need = cfg.connections as u64 + SPARE_FILES;
    rlimit::increase_nofile_limit(need)?;
    if let Some(limit) = procfs::open_files_limit(Pid::Current)?
        && limit < need
    {
        return Err(format!(
            "{} connections need an open-file limit of at least {need} in the load \
             generator; its hard limit is {limit} (`ulimit -Hn`; raising it takes root \
             with CAP_SYS_RESOURCE)",
            cfg.connections
        )
        .into());
    }
    for (i, node) in cfg.nodes.iter().enumerate() {
        let Some(pid) = node.pid else { continue };
        let held = cfg.connections.div_ceil(cfg.nodes.len()) as u64 + SPARE_FILES;
        if let Some(limit) = procfs::open_files_limit(Pid::Other(pid))?
            && limit < held
        {
            return Err(format!(
                "node {i} (pid {pid}) holds about {held} files but its open-file limit is \
                 {limit}: start it after `ulimit -n {held}`"
            )
            .into());
        }
    }
    Ok(())
}

/// Waits until `n` clients have joined the room; a client task that ended (they only end
/// by failing) fails the run.
async fn wait_joined(
    tasks: &mut JoinSet<io::Result<()>>,
    tally: &Tally,
    n: usize,
) -> Result<(), BoxError> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while tally.joined.get() < n {
        if let Some(done) = tasks.try_join_next() {
            let why = match done {
                Ok(Err(err)) => err.to_string(),
                Ok(Ok(())) => "it ended".to_owned(),
                Err(err) => err.to_string(),
            };
            return Err(format!("a client failed before the broadcasts: {why}").into());
        }
        if Instant::now() > deadline {
            let joined = tally.joined.get();
            return Err(format!("only {joined} of {n} clients joined the room in 60 s").into());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nodes() {
        let node: Node = "127.0.0.1:3001=42".parse().unwrap();
        assert_eq!(node.addr, SocketAddr::from(([127, 0, 0, 1], 3001)));
        assert_eq!(node.pid, Some(42));
        let node: Node = "127.0.0.1:3002".parse().unwrap();
        assert_eq!(node.pid, None);
        assert!("localhost".parse::<Node>().is_err());
        assert!("127.0.0.1:1=x".parse::<Node>().is_err());
    }

    #[test]
    fn counts_each_delivery_once() {
        let tally = Tally {
            delivered: vec![Cell::new(0), Cell::new(0)],
            last_ns: vec![Cell::new(0), Cell::new(0)],
            duplicates: Cell::new(0),
            strays: Cell::new(0),
            joined: Cell::new(0),
            latency: RefCell::new(histogram()),
            epoch: Instant::now(),
        };
        let mut seen = vec![false; 2];
        let msg = br#"["msg",{"room":"crowd","seq":1,"t":0,"text":"x"}]"#;
        tally.count(&mut seen, msg);
        tally.count(&mut seen, msg);
        tally.count(&mut seen, br#"["msg",{"seq":7,"t":0}]"#);
        tally.count(&mut seen, br#"["msg",{"text":"no seq"}]"#);
        assert_eq!(tally.delivered[1].get(), 1);
        assert_eq!(tally.delivered[0].get(), 0);
        assert_eq!(tally.duplicates.get(), 1);
        assert_eq!(tally.strays.get(), 2);
        assert_eq!(tally.latency.borrow().len(), 1);
    }

    #[test]
    fn spreads_clients_over_nodes_and_sources() {
        let cfg = CrowdConfig {
            nodes: vec![
                "127.0.0.1:3001".parse().unwrap(),
                "127.0.0.1:3002".parse().unwrap(),
            ],
            connections: 6,
            sources: 3,
            broadcasts: 1,
            interval: Duration::ZERO,
            settle: Duration::ZERO,
            concurrency: 1,
            deadline: Duration::ZERO,
        };
        let places: Vec<_> = (0..6).map(|i| cfg.place(i)).collect();
        let nodes: Vec<u16> = places.iter().map(|(node, _)| node.port()).collect();
        assert_eq!(nodes, [3001, 3002, 3001, 3002, 3001, 3002]);
        let locals: Vec<SocketAddr> = places.iter().filter_map(|(_, local)| *local).collect();
        let mut distinct = locals.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            6,
            "every client has its own local address: {locals:?}"
        );
        let mut ips: Vec<_> = locals.iter().map(SocketAddr::ip).collect();
        ips.sort();
        ips.dedup();
        assert_eq!(ips.len(), 3, "three sources are used: {locals:?}");
        assert!(locals.iter().all(|local| local.port() >= FIRST_PORT as u16));
    }
}
