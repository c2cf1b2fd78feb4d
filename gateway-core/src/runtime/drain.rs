//! Graceful shutdown's bookkeeping: how many events are being handled, and whether the app
//! has stopped taking new ones.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Notify;
/// Events in flight, and the draining flag.
#[derive(Default)]
pub(crate) struct Drain {
    in_flight: AtomicUsize,
    draining: AtomicBool,
    idle: Notify,
}

impl Drain {
    /// Stops taking events: from now on [`try_enter`](Self::try_enter) refuses.
    pub(crate) fn begin(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    pub(crate) fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Relaxed)
    }

    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// Waits until no event is in flight, or `timeout`; returns how many are still running.
    pub(crate) async fn wait_idle(&self, timeout: Duration) -> usize {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let idle = self.idle.notified();
            tokio::pin!(idle);
            // Registered before reading the count, so a drop to zero in between still wakes us.
            idle.as_mut().enable();
            let left = self.in_flight();
            if left == 0 {
                return 0;
            }
            if tokio::time::timeout_at(deadline, idle).await.is_err() {
                return self.in_flight();
            }
        }
    }

    /// Counts a new event, unless the app is draining; each `true` must be paired with a
    /// [`leave`](Self::leave).
    pub(crate) fn try_enter(&self) -> bool {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        // SeqCst, paired with `begin` and `wait_idle`: either this event sees the flag or
        // the waiter sees the count. Checked after counting, so `begin` followed by
        // `wait_idle` never misses an event that slipped in between.
        if self.draining.load(Ordering::SeqCst) {
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            return false;
        }
        true
    }

    /// An event counted by [`try_enter`](Self::try_enter) is done.
    pub(crate) fn leave(&self) {
        if self.in_flight.fetch_sub(1, Ordering::SeqCst) == 1 && self.is_draining() {
            self.idle.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waits_for_events_in_flight_and_refuses_new_ones() {
        let drain = std::sync::Arc::new(Drain::default());
        assert!(drain.try_enter() && drain.try_enter(), "not draining yet");
        drain.begin();
        assert!(!drain.try_enter(), "draining refuses new events");
        assert_eq!(drain.in_flight(), 2);

        let waiter = tokio::spawn({
            let drain = drain.clone();
            async move { drain.wait_idle(Duration::from_secs(5)).await }
        });
        drain.leave();
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished(), "one event is still in flight");
        drain.leave();
        assert_eq!(waiter.await.expect("waiter"), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_the_timeout() {
        let drain = Drain::default();
        assert!(drain.try_enter());
        drain.begin();
        assert_eq!(drain.wait_idle(Duration::from_secs(3)).await, 1);
    }
}
