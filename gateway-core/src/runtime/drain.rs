//! Graceful shutdown's bookkeeping: how many events are being handled, and whether the app
//! has stopped taking new ones.

use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

use crate::runtime::context::AppContext;

/// Events in flight, and the draining flag.
#[derive(Default)]
pub(crate) struct Drain {
    in_flight: AtomicUsize,
    draining: AtomicBool,
    idle: Notify,
}

impl Drain {
    /// Stops taking events: from now on [`InFlight::enter`] refuses.
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
}

/// One event being handled: the app context, counted in [`Drain`] until dropped (after the
/// event's ack has been handed to its socket).
pub(crate) struct InFlight(Arc<AppContext>);

impl InFlight {
    /// Counts a new event, unless the app is draining.
    pub(crate) fn enter(app: &Arc<AppContext>) -> Option<Self> {
        let drain = &app.drain;
        drain.in_flight.fetch_add(1, Ordering::SeqCst);
        // SeqCst, paired with `begin` and `wait_idle`: either this event sees the flag or
        // the waiter sees the count.
        if drain.draining.load(Ordering::SeqCst) {
            // Checked after counting, so `begin` followed by `wait_idle` never misses an
            // event that slipped in between.
            drain.in_flight.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Self(app.clone()))
    }

    /// The app context, shared.
    pub(crate) fn app(&self) -> &Arc<AppContext> {
        &self.0
    }
}

impl Deref for InFlight {
    type Target = AppContext;

    fn deref(&self) -> &AppContext {
        &self.0
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let drain = &self.0.drain;
        if drain.in_flight.fetch_sub(1, Ordering::SeqCst) == 1 && drain.is_draining() {
            drain.idle.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waits_for_events_in_flight_and_refuses_new_ones() {
        let app = Arc::new(AppContext::for_tests());
        let first = InFlight::enter(&app).expect("not draining yet");
        let second = InFlight::enter(&app).expect("not draining yet");
        app.drain.begin();
        assert!(
            InFlight::enter(&app).is_none(),
            "draining refuses new events"
        );
        assert_eq!(app.drain.in_flight(), 2);

        let waiter = tokio::spawn({
            let app = app.clone();
            async move { app.drain.wait_idle(Duration::from_secs(5)).await }
        });
        drop(first);
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished(), "one event is still in flight");
        drop(second);
        assert_eq!(waiter.await.expect("waiter"), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_the_timeout() {
        let app = Arc::new(AppContext::for_tests());
        let _stuck = InFlight::enter(&app).expect("not draining yet");
        app.drain.begin();
        assert_eq!(app.drain.wait_idle(Duration::from_secs(3)).await, 1);
    }
}
