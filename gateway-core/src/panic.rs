//! Panics caught on the event path: every place that runs user code (extraction, handlers,
//! hooks, guards, interceptors) catches a panic and reports it here, so one panicking
//! handler never takes its socket, its namespace or the server down.
//!
//! What the client gets after a caught panic is decided by the caller (an `internal` ack,
//! through the event's reply; nothing for a hook); this module only catches and logs.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};

use futures_util::FutureExt;

/// The user code that panicked, for the log line.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Site<'a> {
    /// An event's extraction, guard or handler: the client gets an `internal` error.
    Event(&'a str),
    /// A guard's check of a connection (`"connect"`) or of an event: refused with `internal`.
    Guard(&'a str),
    /// A lifecycle hook (`#[on_connect]`, `#[on_disconnect]`): no ack is involved.
    Hook(&'a str),
    /// An interceptor's `before` or `after`: skipped, the event's outcome is unchanged.
    Interceptor {
        /// `"before"` or `"after"`.
        hook: &'a str,
        /// The event it was intercepting.
        event: &'a str,
    },
    /// A job of a socket's ordered queue, outside its handler.
    OrderedQueue,
    /// A socket-scoped provider's build, at connect: refused with `internal`.
    SocketProvider,
}

/// Runs `f`, catching a panic: `None` after reporting it.
pub(crate) fn catch<R>(site: Site<'_>, f: impl FnOnce() -> R) -> Option<R> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => Some(value),
        Err(panic) => {
            report(site, &*panic);
            None
        }
    }
}

/// Awaits `fut`, catching a panic: `None` after reporting it.
pub(crate) fn catch_future<'a, F>(
    site: Site<'a>,
    fut: F,
) -> impl Future<Output = Option<F::Output>> + Send + 'a
where
    F: Future + Send + 'a,
{
    AssertUnwindSafe(fut)
        .catch_unwind()
        .map(move |caught| match caught {
            Ok(value) => Some(value),
            Err(panic) => {
                report(site, &*panic);
                None
            }
        })
}

/// Logs a caught panic with its message.
pub(crate) fn report(site: Site<'_>, panic: &(dyn Any + Send)) {
    let message = message(panic);
    match site {
        Site::Event(event) => tracing::error!(
            %event,
            panic = message,
            "handler panicked; the client gets an `internal` error"
        ),
        Site::Guard(checking) => tracing::error!(
            checking,
            panic = message,
            "guard panicked; refused with `internal`"
        ),
        Site::Hook(hook) => {
            tracing::error!(hook, panic = message, "lifecycle hook panicked; skipped")
        }
        Site::Interceptor { hook, event } => {
            tracing::error!(%event, hook, panic = message, "interceptor panicked; skipped");
        }
        Site::SocketProvider => tracing::error!(
            panic = message,
            "a socket-scoped provider panicked; the connection is refused with `internal`"
        ),
        Site::OrderedQueue => {
            tracing::error!(
                panic = message,
                "an ordered event panicked outside its handler"
            );
        }
    }
}

/// The text of a panic payload (`panic!("...")` gives a `&str` or a `String`).
fn message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("<non-string panic payload>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_caught_and_the_value_kept_otherwise() {
        assert_eq!(catch(Site::Event("e"), || 7), Some(7));
        assert_eq!(catch(Site::Event("e"), || -> u8 { panic!("boom") }), None);
        let owned = String::from("owned");
        let payload: Box<dyn Any + Send> = Box::new(owned);
        assert_eq!(message(&*payload), "owned");
        let other: Box<dyn Any + Send> = Box::new(3_u8);
        assert_eq!(message(&*other), "<non-string panic payload>");
    }

    #[tokio::test]
    async fn a_panicking_future_is_caught() {
        assert_eq!(
            catch_future(Site::Hook("connect"), async { 1 }).await,
            Some(1)
        );
        let panics = async { panic!("in a future") };
        assert_eq!(
            catch_future::<_>(Site::Hook("connect"), panics).await,
            None::<()>
        );
    }
}
