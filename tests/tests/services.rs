//! The test helpers stop everything they start: a private nginx (a master and its workers)
//! or Redis leaves no process behind once its handle is dropped, whether the test using it
//! passed or failed.

use std::time::{Duration, Instant};

use gateway_tests::process::group_members;
use gateway_tests::services::{Nginx, Redis, free_port};

/// Waits (briefly) for the process group to be empty; its members, if not.
fn left_behind(group: u32) -> Vec<u32> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let members = group_members(group);
        if members.is_empty() || Instant::now() >= deadline {
            return members;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn a_dropped_nginx_leaves_neither_its_master_nor_its_workers() {
    let port = free_port();
    let config = format!(
        "worker_processes 2;\nevents {{}}\nhttp {{\n    access_log off;\n    server {{\n        \
         listen 127.0.0.1:{port};\n        location / {{ return 200 \"ok\"; }}\n    }}\n}}\n"
    );
    let nginx = Nginx::start(&config, port);
    let group = nginx.process_group().expect("nginx runs");
    // nginx listens before it has forked every worker: wait (briefly) for the second one.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut running = group_members(group);
    while running.len() < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(25));
        running = group_members(group);
    }
    assert!(
        running.len() >= 3,
        "a master and two workers in nginx's own process group, got {running:?}"
    );
    drop(nginx);
    let left = left_behind(group);
    assert!(
        left.is_empty(),
        "nginx processes outlived their handle: {left:?}"
    );
}

#[test]
fn a_dropped_redis_leaves_no_process() {
    let redis = Redis::start();
    let group = redis.process_group().expect("redis runs");
    assert!(
        !group_members(group).is_empty(),
        "redis-server runs in its own group"
    );
    drop(redis);
    let left = left_behind(group);
    assert!(
        left.is_empty(),
        "redis-server outlived its handle: {left:?}"
    );
}
