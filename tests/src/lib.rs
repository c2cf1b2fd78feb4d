//! End-to-end tests live in `tests/tests/`; this library holds what several of them share.

pub mod process {
    //! Running an external program (node, tsc) from a test: its output captured without
    //! ever blocking it, and the whole process group killed when it overstays.

    use std::io::Read;
    use std::process::{Child, Command, ExitStatus, Stdio};
    use std::sync::{Arc, Mutex};
    use std::thread::JoinHandle;
    use std::time::{Duration, Instant};

    /// How a program started with [`run_bounded`] ended.
    #[derive(Debug)]
    pub enum Run {
        /// It exited by itself.
        Finished {
            /// Its exit status.
            status: ExitStatus,
            /// Everything it wrote to stdout.
            stdout: String,
            /// Everything it wrote to stderr.
            stderr: String,
        },
        /// It overstayed and was killed, with its process group.
        TimedOut {
            /// What it wrote to stdout before.
            stdout: String,
            /// What it wrote to stderr before.
            stderr: String,
        },
    }

    impl Run {
        /// Its exit status (`None`: killed after its timeout), then its stdout and stderr.
        pub fn into_parts(self) -> (Option<ExitStatus>, String, String) {
            match self {
                Run::Finished {
                    status,
                    stdout,
                    stderr,
                } => (Some(status), stdout, stderr),
                Run::TimedOut { stdout, stderr } => (None, stdout, stderr),
            }
        }

        /// Panics, with everything it wrote, unless it exited with success; `what` names
        /// it in the message.
        pub fn assert_passed(self, what: &str) {
            match self {
                Run::Finished {
                    status,
                    stdout,
                    stderr,
                } => assert!(status.success(), "{what} failed\n{stdout}\n{stderr}"),
                Run::TimedOut { stdout, stderr } => {
                    panic!("{what} timed out\n{stdout}\n{stderr}")
                }
            }
        }
    }

    /// Runs `command` (in its own process group, output captured) and polls it from the
    /// runtime, so servers running in the test process keep serving; kills it and its
    /// process group after `timeout`.
    pub async fn run_bounded(mut command: Command, timeout: Duration) -> Run {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        own_group(&mut command);
        let program = command.get_program().to_string_lossy().into_owned();
        let mut child = command.spawn().unwrap_or_else(|e| {
            panic!("cannot run `{program}` (is it installed and on PATH?): {e}")
        });
        let stdout = Output::capture(child.stdout.take().expect("piped stdout"));
        let stderr = Output::capture(child.stderr.take().expect("piped stderr"));
        let deadline = Instant::now() + timeout;
        let status = loop {
            match child.try_wait().expect("wait for the child") {
                Some(status) => break Some(status),
                None if Instant::now() >= deadline => break None,
                None => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        };
        if status.is_none() {
            kill(&mut child);
        }
        let (stdout, stderr) = (stdout.finish().await, stderr.finish().await);
        match status {
            Some(status) => Run::Finished {
                status,
                stdout,
                stderr,
            },
            None => Run::TimedOut { stdout, stderr },
        }
    }

    /// Starts `command` as the leader of a process group of its own, so that [`kill`] and
    /// [`stop`] reach whatever it forks (nginx's workers, a shell's children) as well.
    pub fn own_group(command: &mut Command) {
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(command, 0);
        #[cfg(not(unix))]
        let _ = command;
    }

    /// Stops a child started with [`own_group`]: SIGTERM to its whole group, up to `grace`
    /// for the leader to exit (nginx's master stops its workers first), then [`kill`] for
    /// whatever is left.
    pub fn stop(child: &mut Child, grace: Duration) {
        #[cfg(unix)]
        {
            signal_group(child.id(), "-TERM");
            let deadline = Instant::now() + grace;
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        #[cfg(not(unix))]
        let _ = grace;
        kill(child);
    }

    #[cfg(unix)]
    fn signal_group(leader: u32, signal: &str) {
        let group = format!("-{leader}");
        let _ = Command::new("kill")
            .args([signal, "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }

    /// The processes still alive in process group `group` (from `/proc`; empty elsewhere).
    pub fn group_members(group: u32) -> Vec<u32> {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                // `/proc/PID/stat`: "pid (comm) state ppid pgrp ..."; comm may hold spaces.
                std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                    let fields = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
                    let mut fields = fields.split_whitespace();
                    let state = fields.next();
                    let pgrp = fields.nth(1).and_then(|g| g.parse::<u32>().ok());
                    // A zombie is gone but for its exit status.
                    pgrp == Some(group) && state != Some("Z")
                })
            })
            .collect()
    }

    /// Kills the child and, on Unix, the rest of its process group.
    pub fn kill(child: &mut Child) {
        #[cfg(unix)]
        signal_group(child.id(), "-KILL");
        let _ = child.kill();
        let _ = child.wait();
    }

    /// A pipe drained by a thread into a shared buffer, so a full pipe never blocks the
    /// child and whatever was written is still there if the pipe is never closed.
    #[derive(Debug)]
    pub struct Output {
        buffer: Arc<Mutex<Vec<u8>>>,
        reader: JoinHandle<()>,
    }

    impl Output {
        /// Starts draining `pipe`.
        pub fn capture(mut pipe: impl Read + Send + 'static) -> Self {
            let buffer = Arc::new(Mutex::new(Vec::new()));
            let sink = Arc::clone(&buffer);
            let reader = std::thread::spawn(move || {
                let mut chunk = [0_u8; 8192];
                while let Ok(n @ 1..) = pipe.read(&mut chunk) {
                    sink.lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .extend_from_slice(&chunk[..n]);
                }
            });
            Self { buffer, reader }
        }

        /// Waits up to 5 s for the pipe to close, then returns what was read.
        pub async fn finish(self) -> String {
            let deadline = Instant::now() + Duration::from_secs(5);
            while !self.reader.is_finished() && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            self.text()
        }

        /// [`finish`](Self::finish), for tests without a runtime.
        pub fn finish_blocking(self) -> String {
            let deadline = Instant::now() + Duration::from_secs(5);
            while !self.reader.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            self.text()
        }

        /// What was read so far (the pipe may still be open).
        pub fn text(&self) -> String {
            let bytes = self
                .buffer
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone();
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

pub mod interop {
    //! The Node and Python interop scripts under `tests/interop/`.

    use std::path::{Path, PathBuf};

    /// `tests/interop/`, after checking that `npm ci --prefix tests/interop` installed
    /// `package` there.
    pub fn dir_with(package: &str) -> PathBuf {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("interop");
        assert!(
            dir.join("node_modules").join(package).is_dir(),
            "{} has no node_modules/{package}: run `npm ci --prefix tests/interop` (from the \
             workspace root) before this test",
            dir.display(),
        );
        dir
    }
}

pub mod services {
    //! Real servers for tests that need them: Redis and nginx (from Debian's packages,
    //! installed by `.ci/run`), each a private instance on a free port, plus a minimal
    //! HTTP/1.1 client for poking at HTTP routes.

    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::path::PathBuf;
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    use crate::process::{Output, kill, own_group, stop};

    /// A free TCP port on 127.0.0.1 (free when this returns; bind it soon).
    pub fn free_port() -> u16 {
        TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("no free port on 127.0.0.1")
    }

    /// A fresh directory under the system's temp dir.
    pub fn scratch_dir(what: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "gateway-tests-{what}-{}-{}",
            std::process::id(),
            free_port()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("cannot create a scratch directory");
        dir
    }

    /// Waits until something accepts TCP connections on `port`.
    pub fn wait_for_port(port: u16, what: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "{what} did not listen on 127.0.0.1:{port} within {timeout:?}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn need(program: &str, package: &str) {
        let found = Command::new(program)
            .arg("-v")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok();
        assert!(
            found,
            "`{program}` is not installed: install Debian's `{package}` package (`.ci/run` does)"
        );
    }

    /// A private `redis-server` on a free port, without persistence. Stopped on drop.
    #[derive(Debug)]
    pub struct Redis {
        port: u16,
        dir: PathBuf,
        child: Option<(Child, Output)>,
    }

    impl Redis {
        /// Starts it and waits until it answers PING.
        pub fn start() -> Self {
            need("redis-server", "redis-server");
            let mut redis = Self {
                port: free_port(),
                dir: scratch_dir("redis"),
                child: None,
            };
            redis.restart();
            redis
        }

        /// `redis://127.0.0.1:PORT`.
        pub fn url(&self) -> String {
            format!("redis://127.0.0.1:{}", self.port)
        }

        /// Whether it is running.
        pub fn is_running(&self) -> bool {
            self.child.is_some()
        }

        /// Its process group (the server's pid), while it runs.
        pub fn process_group(&self) -> Option<u32> {
            self.child.as_ref().map(|(child, _)| child.id())
        }

        /// Stops it at once (SIGKILL: the nodes see their connections drop).
        pub fn stop(&mut self) {
            if let Some((mut child, _)) = self.child.take() {
                kill(&mut child);
            }
        }

        /// Starts it again on the same port (stopping it first if it runs).
        pub fn restart(&mut self) {
            self.stop();
            let port = self.port.to_string();
            let mut command = Command::new("redis-server");
            own_group(&mut command);
            let mut child = command
                .args([
                    "--port",
                    &port,
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ])
                .arg("--dir")
                .arg(&self.dir)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("cannot start redis-server");
            let out = Output::capture(child.stdout.take().expect("piped stdout"));
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                if ping(self.port) {
                    break;
                }
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("redis-server exited ({status}): {}", out.text());
                }
                assert!(
                    Instant::now() < deadline,
                    "redis-server did not answer PING: {}",
                    out.text()
                );
                std::thread::sleep(Duration::from_millis(25));
            }
            self.child = Some((child, out));
        }
    }

    impl Drop for Redis {
        fn drop(&mut self) {
            self.stop();
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn ping(port: u16) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
        if stream.write_all(b"PING\r\n").is_err() {
            return false;
        }
        let mut buf = [0u8; 16];
        matches!(stream.read(&mut buf), Ok(n) if buf[..n].starts_with(b"+PONG"))
    }

    /// A private nginx running a given configuration. Stopped on drop.
    #[derive(Debug)]
    pub struct Nginx {
        port: u16,
        dir: PathBuf,
        child: Option<(Child, Output)>,
    }

    impl Nginx {
        /// Runs `config` (a whole `nginx.conf`) that listens on `port`, in the foreground,
        /// logging errors to its stderr.
        pub fn start(config: &str, port: u16) -> Self {
            let nginx = if std::path::Path::new("/usr/sbin/nginx").exists() {
                "/usr/sbin/nginx"
            } else {
                "nginx"
            };
            need(nginx, "nginx");
            let dir = scratch_dir("nginx");
            std::fs::create_dir_all(dir.join("logs")).expect("nginx logs dir");
            let conf = dir.join("nginx.conf");
            std::fs::write(&conf, config).expect("cannot write nginx.conf");
            let globals = format!(
                "daemon off; pid {}; error_log stderr warn;{}",
                dir.join("nginx.pid").display(),
                // As root, workers would run as `nobody` and could not use Debian's temp
                // directories; a private test instance runs them as root.
                if is_root() { " user root;" } else { "" }
            );
            let mut command = Command::new(nginx);
            own_group(&mut command);
            let mut child = command
                .arg("-p")
                .arg(&dir)
                .arg("-c")
                .arg(&conf)
                .args(["-g", &globals])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("cannot start nginx");
            let err = Output::capture(child.stderr.take().expect("piped stderr"));
            let deadline = Instant::now() + Duration::from_secs(10);
            while TcpStream::connect(("127.0.0.1", port)).is_err() {
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("nginx exited ({status}): {}", err.text());
                }
                assert!(
                    Instant::now() < deadline,
                    "nginx did not listen: {}",
                    err.text()
                );
                std::thread::sleep(Duration::from_millis(25));
            }
            Self {
                port,
                dir,
                child: Some((child, err)),
            }
        }

        /// `http://127.0.0.1:PORT`.
        pub fn url(&self) -> String {
            format!("http://127.0.0.1:{}", self.port)
        }

        /// What nginx wrote to stderr so far.
        pub fn log(&self) -> String {
            self.child
                .as_ref()
                .map(|(_, err)| err.text())
                .unwrap_or_default()
        }
    }

    impl Nginx {
        /// Its process group (the master's pid): the master and its workers.
        pub fn process_group(&self) -> Option<u32> {
            self.child.as_ref().map(|(child, _)| child.id())
        }
    }

    impl Drop for Nginx {
        fn drop(&mut self) {
            // A graceful stop first: the master stops its workers, then exits.
            if let Some((mut child, _)) = self.child.take() {
                stop(&mut child, Duration::from_secs(3));
            }
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn is_root() -> bool {
        Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|out| out.stdout.starts_with(b"0\n"))
    }

    /// A minimal HTTP/1.1 request to 127.0.0.1:`port`; returns the status and the body.
    pub fn http(
        port: u16,
        method: &str,
        path: &str,
        json: Option<&str>,
    ) -> std::io::Result<(u16, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let body = json.unwrap_or("");
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        if json.is_some() {
            request.push_str("Content-Type: application/json\r\n");
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream.write_all(request.as_bytes())?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {response:?}")))?;
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_owned())
            .unwrap_or_default();
        Ok((status, body))
    }
}
