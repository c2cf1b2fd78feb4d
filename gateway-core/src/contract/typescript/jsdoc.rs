//! JSDoc comments: doc text, a schema's description, and its validation keywords as tags
//! (`@maxLength 500`).

use serde_json::Value;

/// A JSDoc comment's lines.
#[derive(Debug, Default)]
pub(super) struct Doc {
    pub(super) lines: Vec<String>,
}

impl Doc {
    /// A doc comment's text.
    pub(super) fn text(text: &str) -> Self {
        let mut doc = Self::default();
        for line in text.lines() {
            doc.push(line);
        }
        doc
    }

    /// A schema's `description` (or `title`), then its validation keywords as tags.
    pub(super) fn of_schema(schema: &Value) -> Self {
        let mut doc = Self::description(schema);
        let tags = tags(schema);
        if !tags.is_empty() && !doc.is_empty() {
            doc.push("");
        }
        for tag in tags {
            doc.push(&tag);
        }
        doc
    }

    /// A schema's `description` (or `title`) alone.
    pub(super) fn description(schema: &Value) -> Self {
        ["description", "title"]
            .iter()
            .find_map(|k| schema.get(*k).and_then(Value::as_str))
            .map(Self::text)
            .unwrap_or_default()
    }

    pub(super) fn push(&mut self, line: &str) {
        self.lines.push(line.trim_end().replace("*/", "*\\/"));
    }

    pub(super) fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The lines joined into one, tags as `(minimum 1, maximum 5)`, for `@param`.
    pub(super) fn inline(&self) -> String {
        let mut text = Vec::new();
        let mut tags = Vec::new();
        for line in self.lines.iter().filter(|l| !l.is_empty()) {
            match line.strip_prefix('@') {
                Some(tag) => tags.push(tag.to_owned()),
                None => text.push(line.trim().to_owned()),
            }
        }
        if !tags.is_empty() {
            text.push(format!("({})", tags.join(", ")));
        }
        text.join(" ")
    }
}

/// JSDoc tags for a schema's validation keywords, in a fixed order.
fn tags(schema: &Value) -> Vec<String> {
    const VALUED: [&str; 14] = [
        "format",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "exclusiveMinimum",
        "maximum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
        "default",
    ];
    let mut tags = Vec::new();
    for keyword in VALUED {
        match schema.get(keyword) {
            Some(Value::String(text)) if keyword != "default" => {
                tags.push(format!("@{keyword} {text}"));
            }
            Some(value) => tags.push(format!("@{keyword} {value}")),
            None => {}
        }
    }
    if schema.get("uniqueItems") == Some(&Value::Bool(true)) {
        tags.push("@uniqueItems".to_owned());
    }
    if schema.get("deprecated") == Some(&Value::Bool(true)) {
        tags.push("@deprecated".to_owned());
    }
    tags
}
