//! What `/proc` says about a process: CPU time (`/proc/PID/stat` utime + stime),
//! resident memory (`/proc/PID/status` VmRSS) and its open-file limit
//! (`/proc/PID/limits`); and the whole machine's busy CPU time (`/proc/stat`).

use std::io;
use std::time::Duration;

/// Which process: a pid, or this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pid {
    /// This process (`/proc/self`).
    Current,
    /// Another process.
    Other(u32),
}

impl Pid {
    fn dir(self) -> String {
        match self {
            Pid::Current => "/proc/self".to_owned(),
            Pid::Other(pid) => format!("/proc/{pid}"),
        }
    }
}

/// Clock ticks per second of `/proc/PID/stat` (`getconf CLK_TCK`; 100 on Linux).
pub fn clock_ticks_per_sec() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .filter(|&ticks| ticks > 0)
        .unwrap_or(100)
}

/// User plus system CPU time the process has used so far.
pub fn cpu_time(pid: Pid, ticks_per_sec: u64) -> io::Result<Duration> {
    let stat = std::fs::read_to_string(format!("{}/stat", pid.dir()))?;
    // The command name (field 2) is in parentheses and may contain spaces: fields are
    // counted after its closing parenthesis. utime and stime are fields 14 and 15.
    let after = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| io::Error::other("malformed /proc/PID/stat"))?;
    let mut fields = after.split_whitespace().skip(11);
    let mut next = || -> io::Result<u64> {
        fields
            .next()
            .and_then(|f| f.parse().ok())
            .ok_or_else(|| io::Error::other("malformed /proc/PID/stat"))
    };
    let ticks = next()? + next()?;
    Ok(Duration::from_nanos(
        ticks.saturating_mul(1_000_000_000) / ticks_per_sec,
    ))
}

/// CPU time all cores of the machine have spent busy so far (`/proc/stat`'s `cpu` line:
/// user, nice, system, irq, softirq and steal; not idle nor iowait).
pub fn machine_busy_time(ticks_per_sec: u64) -> io::Result<Duration> {
    let stat = std::fs::read_to_string("/proc/stat")?;
    let malformed = || io::Error::other("malformed /proc/stat");
    let line = stat
        .lines()
        .find_map(|line| line.strip_prefix("cpu "))
        .ok_or_else(malformed)?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .map(|f| f.parse().map_err(|_| malformed()))
        .collect::<io::Result<_>>()?;
    let ticks: u64 = [0, 1, 2, 5, 6, 7]
        .iter()
        .filter_map(|&i| fields.get(i))
        .sum();
    Ok(Duration::from_nanos(
        ticks.saturating_mul(1_000_000_000) / ticks_per_sec,
    ))
}

/// Resident set size in bytes (`VmRSS`).
pub fn rss_bytes(pid: Pid) -> io::Result<u64> {
    status_bytes(pid, "VmRSS:")
}

/// Resident anonymous memory in bytes (`RssAnon`: the heap and stacks, without the
/// binary's pages).
pub fn rss_anon_bytes(pid: Pid) -> io::Result<u64> {
    status_bytes(pid, "RssAnon:")
}

fn status_bytes(pid: Pid, field: &str) -> io::Result<u64> {
    let status = std::fs::read_to_string(format!("{}/status", pid.dir()))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map(|kb| kb * 1024)
        .ok_or_else(|| io::Error::other(format!("no {field} in /proc/PID/status")))
}

/// The process's soft limit on open files (`Max open files` in `/proc/PID/limits`);
/// `None` when unlimited.
pub fn open_files_limit(pid: Pid) -> io::Result<Option<u64>> {
    let limits = std::fs::read_to_string(format!("{}/limits", pid.dir()))?;
    let soft = limits
        .lines()
        .find_map(|line| line.strip_prefix("Max open files"))
        .and_then(|rest| rest.split_whitespace().next())
        .ok_or_else(|| io::Error::other("no `Max open files` in /proc/PID/limits"))?;
    match soft {
        "unlimited" => Ok(None),
        n => n
            .parse()
            .map(Some)
            .map_err(|_| io::Error::other(format!("malformed open-file limit `{n}`"))),
    }
}

/// CPU time used by a process over a window.
#[derive(Debug, Clone, Copy)]
pub struct CpuMeter {
    pid: Pid,
    ticks_per_sec: u64,
    start: Duration,
    started: std::time::Instant,
}

impl CpuMeter {
    /// Starts measuring.
    pub fn start(pid: Pid, ticks_per_sec: u64) -> io::Result<Self> {
        Ok(Self {
            pid,
            ticks_per_sec,
            start: cpu_time(pid, ticks_per_sec)?,
            started: std::time::Instant::now(),
        })
    }

    /// CPU time used since [`start`](Self::start), and the wall time elapsed.
    pub fn stop(&self) -> io::Result<(Duration, Duration)> {
        let cpu = cpu_time(self.pid, self.ticks_per_sec)?.saturating_sub(self.start);
        Ok((cpu, self.started.elapsed()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process() {
        let ticks = clock_ticks_per_sec();
        assert!(cpu_time(Pid::Current, ticks).is_ok());
        assert!(rss_bytes(Pid::Current).expect("VmRSS") > 0);
        assert!(rss_anon_bytes(Pid::Current).expect("RssAnon") > 0);
        // Every process has this line; a test process has a finite limit here.
        assert!(open_files_limit(Pid::Current).is_ok());
        assert!(machine_busy_time(ticks).is_ok());
    }
}
