//! TypeScript type expressions as text that knows how tightly it binds: flat, deduplicated
//! unions and intersections, parenthesised only where needed.

/// How tightly a type expression binds, to know when it needs parentheses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Prec {
    Union,
    Intersection,
    Atom,
}

/// A type expression.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Ty {
    pub(super) text: String,
    prec: Prec,
    /// A union's members, so that a union of unions is flat and without duplicates.
    members: Vec<Ty>,
}

impl Ty {
    pub(super) fn atom(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            prec: Prec::Atom,
            members: Vec::new(),
        }
    }

    pub(super) fn unknown() -> Self {
        Self::atom("unknown")
    }

    pub(super) fn null() -> Self {
        Self::atom("null")
    }

    /// The text, parenthesised unless it binds at least as tightly as `min`.
    pub(super) fn at(&self, min: Prec) -> String {
        if self.prec >= min {
            self.text.clone()
        } else {
            format!("({})", self.text)
        }
    }
}

/// `A | B`: flat, duplicates and `never` dropped; `unknown` absorbs the rest.
pub(super) fn union(parts: impl IntoIterator<Item = Ty>) -> Ty {
    let mut members: Vec<Ty> = Vec::new();
    let flat = parts.into_iter().flat_map(|part| {
        if part.members.is_empty() {
            vec![part]
        } else {
            part.members
        }
    });
    for part in flat {
        if part.text == "unknown" {
            return Ty::unknown();
        }
        if part.text != "never" && !members.iter().any(|m| m.text == part.text) {
            members.push(part);
        }
    }
    match members.len() {
        0 => Ty::atom("never"),
        1 => members.remove(0),
        _ => Ty {
            text: members
                .iter()
                .map(|m| m.text.as_str())
                .collect::<Vec<_>>()
                .join(" | "),
            prec: Prec::Union,
            members,
        },
    }
}

/// `A & B`: duplicates and `unknown` dropped; `never` absorbs the rest.
pub(super) fn intersection(parts: impl IntoIterator<Item = Ty>) -> Ty {
    let mut members: Vec<Ty> = Vec::new();
    for part in parts {
        if part.text == "never" {
            return part;
        }
        if part.text != "unknown" && !members.iter().any(|m| m.text == part.text) {
            members.push(part);
        }
    }
    match members.len() {
        0 => Ty::unknown(),
        1 => members.remove(0),
        _ => Ty {
            text: members
                .iter()
                .map(|m| m.at(Prec::Intersection))
                .collect::<Vec<_>>()
                .join(" & "),
            prec: Prec::Intersection,
            members: Vec::new(),
        },
    }
}

/// `T[]`, parenthesised as needed.
pub(super) fn array_of(item: &Ty) -> Ty {
    Ty::atom(format!("{}[]", item.at(Prec::Atom)))
}
