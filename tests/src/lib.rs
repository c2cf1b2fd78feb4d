//! End-to-end tests live in `tests/tests/`; this library holds what several of them share.

pub mod process {
    //! Running an external program (node, tsc) from a test: its output captured without
    //! ever blocking it, and the whole process group killed when it overstays.

    use std::io::Read;
    use std::process::{Child, Command, Stdio};
    use std::sync::{Arc, Mutex};
    use std::thread::JoinHandle;
    use std::time::{Duration, Instant};

    /// Kills the child and, on Unix, the rest of its process group.
    pub fn kill(child: &mut Child) {
        #[cfg(unix)]
        {
            let group = format!("-{}", child.id());
            let _ = Command::new("kill")
                .args(["-KILL", "--", &group])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
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

        fn text(&self) -> String {
            let bytes = self
                .buffer
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone();
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}
