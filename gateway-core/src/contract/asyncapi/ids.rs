//! Ids in the document: channel ids, and names sanitised to what AsyncAPI allows as
//! component keys.

/// The channel id of a namespace: its path without the leading `/`, `/` as `.`; `main` for
/// the main namespace `/`.
pub(super) fn channel_id(namespace: &str) -> String {
    let path = namespace.trim_start_matches('/').replace('/', ".");
    sanitize(&path, "main")
}

/// `raw` with every character outside `[A-Za-z0-9._-]` replaced by `_`; `fallback` if empty.
pub(super) fn sanitize(raw: &str, fallback: &str) -> String {
    if raw.is_empty() {
        return fallback.to_owned();
    }
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}
