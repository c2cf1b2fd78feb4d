//! Names as both exporters write them: JavaScript string literals, and names made unique
//! within one scope (TypeScript types, AsyncAPI ids) with a numbered suffix.

use std::collections::BTreeSet;

use serde_json::Value;

/// `value` as a JavaScript string literal (JSON's syntax and escapes are a subset of
/// JavaScript's).
pub(super) fn js_string(value: &str) -> String {
    Value::String(value.to_owned()).to_string()
}

/// The parameters of a dynamic namespace's path, in order: `/tenant/{tenant}/{*rest}` has
/// `tenant` and `rest` (the second taking the rest of the path). Empty for a static path.
pub(super) fn path_params(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| name.trim_start_matches('*'))
        .collect()
}

/// The paths a namespace serves as a TypeScript type: the path itself as a string literal
/// type, or for a dynamic namespace a template literal type with `${string}` for each
/// parameter (`/tenant/{tenant}` → `` `/tenant/${string}` ``).
pub(super) fn ts_path_type(path: &str) -> String {
    if path_params(path).is_empty() {
        return js_string(path);
    }
    let segments: Vec<String> = path
        .split('/')
        .map(|segment| match segment.strip_prefix('{') {
            Some(_) => "${string}".to_owned(),
            None => segment
                .replace('\\', "\\\\")
                .replace('`', "\\`")
                .replace('$', "\\$"),
        })
        .collect();
    format!("`{}`", segments.join("/"))
}

/// Names handed out once each: a taken name gets a `2`, `3`, ... suffix, after a separator.
#[derive(Debug)]
pub(super) struct UniqueNames {
    taken: BTreeSet<String>,
    separator: &'static str,
}

impl UniqueNames {
    /// No name taken yet; suffixes go after `separator` (`Name2` for `""`, `name_2` for `"_"`).
    pub(super) fn new(separator: &'static str) -> Self {
        Self {
            taken: BTreeSet::new(),
            separator,
        }
    }

    /// Marks `names` taken without handing them out.
    pub(super) fn reserve<S: Into<String>>(&mut self, names: impl IntoIterator<Item = S>) {
        self.taken.extend(names.into_iter().map(Into::into));
    }

    /// `base`, or the first free suffixed form of it; marks it taken.
    pub(super) fn claim(&mut self, base: &str) -> String {
        self.claim_with(base, |name| vec![name.to_owned()])
    }

    /// `base`, or the first suffixed form of it, whose `uses` (the names a candidate would
    /// occupy, `Chat` → `ChatClientToServerEvents`, ...) are all free; marks them taken.
    pub(super) fn claim_with(&mut self, base: &str, uses: impl Fn(&str) -> Vec<String>) -> String {
        let free = |candidate: &str| uses(candidate).iter().all(|n| !self.taken.contains(n));
        let name = if free(base) {
            base.to_owned()
        } else {
            (2..)
                .map(|n| format!("{base}{}{n}", self.separator))
                .find(|candidate| free(candidate))
                .unwrap_or_default()
        };
        self.taken.extend(uses(&name));
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taken_names_get_the_first_free_suffix() {
        let mut ids = UniqueNames::new("_");
        ids.reserve(["a_2"]);
        assert_eq!(ids.claim("a"), "a");
        assert_eq!(ids.claim("a"), "a_3");
        let mut types = UniqueNames::new("");
        types.reserve(["ChatEvents"]);
        let uses = |p: &str| vec![format!("{p}Events")];
        assert_eq!(types.claim_with("Chat", uses), "Chat2");
        assert_eq!(types.claim("Chat2Events"), "Chat2Events2");
        assert_eq!(js_string("a \"b\"\n"), "\"a \\\"b\\\"\\n\"");
    }

    #[test]
    fn dynamic_paths_have_parameters_and_a_template_literal_type() {
        assert_eq!(path_params("/chat"), Vec::<&str>::new());
        assert_eq!(path_params("/t/{tenant}/f/{*rest}"), vec!["tenant", "rest"]);
        assert_eq!(ts_path_type("/chat"), "\"/chat\"");
        assert_eq!(
            ts_path_type("/t/{tenant}/{*rest}"),
            "`/t/${string}/${string}`"
        );
        assert_eq!(ts_path_type("/a$b/{x}"), "`/a\\$b/${string}`");
    }
}
