//! [`NsPattern`]: the path pattern of a dynamic namespace (`/tenant/{tenant}`,
//! `/files/{*path}`): what socketioxide's `dyn_ns` routes by, the matching of a concrete
//! path's parameters (through matchit, socketioxide's own router), and the overlap test
//! that startup uses to refuse two patterns one path could reach with the same event.

use std::sync::Arc;

use crate::ns_params::MatchedParams;

/// A namespace the app serves: its path, with its pattern when it is dynamic (what the
/// metrics gauges read).
#[cfg(feature = "metrics")]
pub(crate) type ServedNamespace = (&'static str, Option<Arc<NsPattern>>);

/// One segment of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Static(String),
    /// `{name}`: one segment.
    Param,
    /// `{*name}`: the rest of the path (one segment or more); last only.
    CatchAll,
}

/// A dynamic namespace's pattern.
pub(crate) struct NsPattern {
    segments: Vec<Segment>,
    router: matchit::Router<()>,
}

impl NsPattern {
    /// The pattern of `path` if it has parameters, `None` for a static namespace; an
    /// error says what is wrong with it (the `#[gateway]` macro refuses the same paths).
    pub(crate) fn parse(path: &str) -> Result<Option<Self>, String> {
        if !path.contains(['{', '}']) {
            return Ok(None);
        }
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let mut segments = Vec::with_capacity(parts.len());
        for (i, part) in parts.iter().enumerate() {
            let segment = match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) if name.starts_with('*') && valid_name(&name[1..]) => {
                    if i + 1 != parts.len() {
                        return Err(format!("`{{{name}}}` must be the last segment of `{path}`"));
                    }
                    Segment::CatchAll
                }
                Some(name) if valid_name(name) => Segment::Param,
                Some(name) => {
                    return Err(format!("`{{{name}}}` in `{path}` is not a parameter name"));
                }
                None if part.contains(['{', '}']) => {
                    return Err(format!(
                        "a parameter of `{path}` is a whole segment: `/{{name}}`, not `{part}`"
                    ));
                }
                None => Segment::Static((*part).to_owned()),
            };
            segments.push(segment);
        }
        let mut router = matchit::Router::new();
        router
            .insert(path, ())
            .map_err(|err| format!("`{path}`: {err}"))?;
        Ok(Some(Self { segments, router }))
    }

    /// The parameters of `path`, a concrete namespace this pattern matched.
    pub(crate) fn params(&self, path: &str) -> Option<MatchedParams> {
        let matched = self.router.at(path).ok()?;
        let params: Arc<[(Box<str>, Box<str>)]> = matched
            .params
            .iter()
            .map(|(name, value)| (Box::from(name), Box::from(value)))
            .collect();
        Some(MatchedParams(params))
    }

    /// Whether `path` is a concrete namespace of this pattern.
    #[cfg(any(feature = "metrics", test))]
    pub(crate) fn matches(&self, path: &str) -> bool {
        self.router.at(path).is_ok()
    }

    /// Whether some concrete path matches both patterns.
    pub(crate) fn overlaps(&self, other: &NsPattern) -> bool {
        overlap(&self.segments, &other.segments)
    }

    /// Whether both patterns match exactly the same paths (they differ in their parameters'
    /// names only): socketioxide's router refuses the second.
    pub(crate) fn same_paths(&self, other: &NsPattern) -> bool {
        self.segments == other.segments
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}

fn overlap(a: &[Segment], b: &[Segment]) -> bool {
    match (a.split_first(), b.split_first()) {
        (None, None) => true,
        (Some((Segment::CatchAll, _)), _) => !b.is_empty(),
        (_, Some((Segment::CatchAll, _))) => !a.is_empty(),
        (None, Some(_)) | (Some(_), None) => false,
        (Some((x, a_rest)), Some((y, b_rest))) => {
            let segment_overlaps = match (x, y) {
                (Segment::Static(x), Segment::Static(y)) => x == y,
                _ => true,
            };
            segment_overlaps && overlap(a_rest, b_rest)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(path: &str) -> NsPattern {
        NsPattern::parse(path).unwrap().unwrap()
    }

    #[test]
    fn static_paths_have_no_pattern_and_bad_patterns_are_errors() {
        assert!(NsPattern::parse("/chat").unwrap().is_none());
        for bad in ["/t/{}", "/t/x{id}", "/t/{*rest}/more", "/t/{a-b}", "/t/{id"] {
            assert!(NsPattern::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parameters_are_matched_by_name() {
        let p = pattern("/tenant/{tenant}/room/{room}");
        let params = p.params("/tenant/acme/room/7").unwrap();
        assert_eq!(params.to_string(), "tenant=acme, room=7");
        assert!(p.params("/tenant/acme").is_none());
        assert!(p.matches("/tenant/a/room/b"));
        let rest = pattern("/files/{*path}");
        assert_eq!(
            rest.params("/files/a/b/c").unwrap().to_string(),
            "path=a/b/c"
        );
    }

    #[test]
    fn overlapping_patterns() {
        let tenant = pattern("/tenant/{tenant}");
        assert!(tenant.overlaps(&pattern("/tenant/{id}")));
        assert!(tenant.same_paths(&pattern("/tenant/{id}")));
        assert!(tenant.overlaps(&pattern("/{kind}/{id}")));
        assert!(tenant.overlaps(&pattern("/tenant/{*rest}")));
        assert!(!tenant.same_paths(&pattern("/tenant/{*rest}")));
        assert!(!tenant.overlaps(&pattern("/team/{team}")));
        assert!(!tenant.overlaps(&pattern("/tenant/{tenant}/room/{room}")));
        assert!(pattern("/{*all}").overlaps(&pattern("/tenant/{t}/room/{r}")));
    }
}
