//! Per-socket rate limits: a token bucket per socket and per `#[throttle(...)]`
//! declaration (one for a gateway-level declaration, shared by all its events).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use socketioxide::extensions::Extensions;

use crate::error::WsError;

/// A rate limit: `limit` events per `per`, with bursts of up to `limit`. Written
/// `#[throttle(limit = 10, per = "1s")]` on a gateway or a handler.
#[derive(Debug, Clone)]
pub struct Throttle {
    id: usize,
    limit: u32,
    per: Duration,
    disconnect_after: Option<u32>,
}

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

impl Throttle {
    /// `limit` events per `per`. `disconnect_after`: once a socket has been refused this
    /// many times in a row, it is disconnected (a flooding client costs itself the
    /// connection).
    pub fn new(limit: u32, per: Duration, disconnect_after: Option<u32>) -> Self {
        Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            limit: limit.max(1),
            per,
            disconnect_after,
        }
    }

    /// Takes a token for this socket, or says when one will be available.
    pub(crate) fn check(&self, extensions: &Extensions) -> Verdict {
        let buckets = match extensions.get::<Buckets>() {
            Some(buckets) => buckets,
            None => {
                let buckets = Buckets::default();
                extensions.insert(buckets.clone());
                buckets
            }
        };
        let mut map = buckets
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        let capacity = f64::from(self.limit);
        let rate = capacity / self.per.as_secs_f64().max(f64::EPSILON);
        let bucket = map.entry(self.id).or_insert(Bucket {
            tokens: capacity,
            at: now,
            refused: 0,
        });
        bucket.tokens =
            (bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * rate).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            bucket.refused = 0;
            return Verdict::Allowed;
        }
        bucket.refused += 1;
        let retry_after = Duration::from_secs_f64((1.0 - bucket.tokens) / rate);
        let error = WsError::rate_limited(retry_after);
        match self.disconnect_after {
            Some(cap) if bucket.refused >= cap => Verdict::Disconnect(error),
            _ => Verdict::Refused(error),
        }
    }
}

pub(crate) enum Verdict {
    Allowed,
    Refused(WsError),
    /// Refused, and the socket has exceeded its refusal cap.
    Disconnect(WsError),
}

#[derive(Clone, Default)]
struct Buckets(Arc<Mutex<HashMap<usize, Bucket>>>);

struct Bucket {
    tokens: f64,
    at: Instant,
    refused: u32,
}
