//! [`AppContext`]: what every namespace of a built app shares on the event path, and
//! [`InFlight`]: one event's claim on it, counted for graceful shutdown.

use std::ops::Deref;
use std::sync::Arc;

use crate::intercept::InterceptorRef;
use crate::providers::Providers;
use crate::runtime::drain::Drain;
use crate::runtime::observer::ObserverRef;

/// Settings and state shared by every namespace of an app, built once by
/// `GatewayApp::build` and read by every event.
pub(crate) struct AppContext {
    pub(crate) providers: Providers,
    /// In envelope mode, report failed events sent without an ack as an `exception` event.
    pub(crate) report_exceptions: bool,
    /// App-wide interceptors (`GatewayApp::intercept`), before the gateways' own.
    pub(crate) interceptors: Arc<[InterceptorRef]>,
    /// Most `#[ordered]` events one socket may have waiting.
    pub(crate) max_ordered_backlog: usize,
    /// Events in flight, for graceful shutdown.
    pub(crate) drain: Drain,
    /// Who watches every socket (the Admin UI), if anyone.
    pub(crate) observer: Option<ObserverRef>,
}

impl AppContext {
    #[cfg(test)]
    pub(crate) fn for_tests() -> Self {
        Self {
            providers: Providers::default(),
            report_exceptions: false,
            interceptors: Arc::new([]),
            max_ordered_backlog: 1,
            drain: Drain::default(),
            observer: None,
        }
    }
}

/// One event being handled: the app context, counted in its [`Drain`] until dropped (after
/// the event's ack has been handed to its socket).
pub(crate) struct InFlight(Arc<AppContext>);

impl InFlight {
    /// Counts a new event, unless the app is draining.
    pub(crate) fn enter(app: &Arc<AppContext>) -> Option<Self> {
        app.drain.try_enter().then(|| Self(app.clone()))
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
        self.0.drain.leave();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_counts_until_dropped_and_none_enters_while_draining() {
        let app = Arc::new(AppContext::for_tests());
        let event = InFlight::enter(&app).expect("not draining yet");
        assert_eq!(app.drain.in_flight(), 1);
        app.drain.begin();
        assert!(
            InFlight::enter(&app).is_none(),
            "draining refuses new events"
        );
        drop(event);
        assert_eq!(app.drain.in_flight(), 0);
    }
}
