//! Redis URLs as logs and startup errors show them: everything but the password.
//!
//! Compiled with or without the `redis` feature: a build without it still reports the URL it
//! was given (`StartupError::RedisNotEnabled`).

/// What a hidden password is shown as.
const HIDDEN: &str = "***";

/// Query parameters that carry a password (`pass` is how `redis+unix://` URLs give it).
const PASSWORD_PARAMS: [&str; 2] = ["pass", "password"];

/// `url` with its password hidden, for logs and errors: `redis://user:secret@host:6379/0` is
/// shown as `redis://user:***@host:6379/0`; scheme, user, host, port, database and query
/// are kept, and a URL without a password is returned unchanged.
///
/// Never fails: on a malformed URL it hides more rather than less. The user information
/// ends at the *last* `@`, so a password holding an unescaped `@`, `/`, `?` or `#` stays
/// hidden; so does the value of a `pass=` (or `password=`) query parameter, wherever it is.
pub(crate) fn redact_password(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    let mut shown = String::with_capacity(url.len());
    if let Some(scheme) = scheme {
        shown.push_str(scheme);
        shown.push_str("://");
    }
    match rest.rsplit_once('@') {
        Some((userinfo, location)) => {
            match userinfo.split_once(':') {
                Some((user, password)) if !password.is_empty() => {
                    shown.push_str(user);
                    shown.push(':');
                    shown.push_str(HIDDEN);
                }
                _ => shown.push_str(userinfo),
            }
            shown.push('@');
            shown.push_str(location);
        }
        None => shown.push_str(rest),
    }
    hide_password_params(&shown)
}

/// `text` with the values of the [`PASSWORD_PARAMS`] that follow a `?` or a `&` hidden (a
/// `#fragment` after a hidden value goes with it).
fn hide_password_params(text: &str) -> String {
    const SEPARATORS: [char; 2] = ['?', '&'];
    let mut shown = String::with_capacity(text.len());
    let mut after_separator = false;
    for piece in text.split_inclusive(SEPARATORS) {
        let param = piece.strip_suffix(SEPARATORS).unwrap_or(piece);
        let separator = &piece[param.len()..];
        match param.split_once('=') {
            Some((key, value))
                if after_separator
                    && !value.is_empty()
                    && PASSWORD_PARAMS
                        .iter()
                        .any(|name| key.eq_ignore_ascii_case(name)) =>
            {
                shown.push_str(key);
                shown.push('=');
                shown.push_str(HIDDEN);
            }
            _ => shown.push_str(param),
        }
        shown.push_str(separator);
        after_separator = !separator.is_empty();
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::redact_password;

    #[test]
    fn only_the_password_is_hidden() {
        let cases = [
            (
                "redis://user:secret@host:6379/0",
                "redis://user:***@host:6379/0",
            ),
            (
                "rediss://user:secret@host:6380/2?protocol=resp3",
                "rediss://user:***@host:6380/2?protocol=resp3",
            ),
            ("redis://:secret@host", "redis://:***@host"),
            ("redis://u:pa:ss@h:1/0", "redis://u:***@h:1/0"),
            (
                "redis+unix:///run/redis.sock?db=1&pass=secret&protocol=resp3",
                "redis+unix:///run/redis.sock?db=1&pass=***&protocol=resp3",
            ),
            ("redis://[::1]:6379/0", "redis://[::1]:6379/0"),
        ];
        for (url, shown) in cases {
            assert_eq!(redact_password(url), shown, "{url}");
        }
    }

    #[test]
    fn a_url_without_a_password_is_unchanged() {
        for url in [
            "redis://host:6379/0",
            "redis://host",
            "redis://user@host:6379",
            "redis://user:@host",
            "redis+unix:///run/redis.sock?db=1",
            "redis://host/0?protocol=resp3",
        ] {
            assert_eq!(redact_password(url), url);
        }
    }

    #[test]
    fn malformed_urls_do_not_leak_the_password() {
        let cases = [
            // `@`, `/`, `?` and `#` should be percent-encoded in a password.
            ("redis://u:p@ss@host/0", "redis://u:***@host/0"),
            ("redis://u:pa/ss@host", "redis://u:***@host"),
            ("redis://u:pa?ss@host", "redis://u:***@host"),
            ("redis://u:pa#ss@host:1", "redis://u:***@host:1"),
            // No scheme.
            ("u:secret@host:6379", "u:***@host:6379"),
            ("redis:/u:secret@host", "redis:***@host"),
            (
                "redis+unix:///run/redis.sock?user=me@corp&pass=secret",
                "redis+unix:///run/redis.sock?user=me@corp&pass=***",
            ),
            (
                "redis://h/0?Password=secret#insecure",
                "redis://h/0?Password=***",
            ),
            ("redis://u:secret@", "redis://u:***@"),
            ("redis://?pass=secret", "redis://?pass=***"),
        ];
        for (url, shown) in cases {
            assert_eq!(redact_password(url), shown, "{url}");
        }
    }

    #[test]
    fn any_input_is_handled_without_panicking() {
        let url = "rediss://ü:sëcret@hôst:6379/0?pass=x&y#z";
        for (end, _) in url.char_indices() {
            let _ = redact_password(&url[..end]);
            let _ = redact_password(&url[end..]);
        }
        for odd in [
            "",
            "@",
            ":",
            "://",
            "://@",
            "?",
            "&&=",
            "@@@",
            "a:b@c:d@e?f=g&pass",
        ] {
            let _ = redact_password(odd);
        }
    }
}
