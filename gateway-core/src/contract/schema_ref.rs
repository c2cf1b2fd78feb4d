//! References into the contracts' JSON Schema definitions (`#/definitions/Name`), as both
//! exporters resolve them: which definition a `$ref` names, decoded from its JSON Pointer.

/// Where schemars' draft-07 definitions live, as a `$ref` prefix.
pub(super) const DEFINITIONS: &str = "#/definitions/";

/// The 2019-09+ spelling of [`DEFINITIONS`], which the TypeScript export also accepts.
pub(super) const DEFS: &str = "#/$defs/";

/// The definition `target` names if it starts with one of `roots`, decoded from its JSON
/// Pointer in URI fragment form, and the rest of the pointer (`/properties/x`, usually
/// empty).
pub(super) fn definition_ref<'a>(target: &'a str, roots: &[&str]) -> Option<(String, &'a str)> {
    let pointer = roots.iter().find_map(|root| target.strip_prefix(root))?;
    let (segment, rest) = match pointer.find('/') {
        Some(at) => pointer.split_at(at),
        None => (pointer, ""),
    };
    Some((decode_segment(segment), rest))
}

/// One segment of a JSON Pointer in URI fragment form, decoded: percent-escapes first (a `%`
/// not followed by two hex digits stays; bytes that are not UTF-8 leave the segment as it
/// is), then `~1` and `~0`.
fn decode_segment(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
        .unwrap_or_else(|_| segment.to_owned())
        .replace("~1", "/")
        .replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_a_decoded_definition_and_keep_the_rest_of_the_pointer() {
        let both = [DEFINITIONS, DEFS];
        let cases = [
            ("#/definitions/Room", "Room", ""),
            (
                "#/$defs/Page%3CMessage%3E/properties/x",
                "Page<Message>",
                "/properties/x",
            ),
            ("#/definitions/a~1b~0c%zz", "a/b~c%zz", ""),
            // Percent-escapes that are not UTF-8 leave the segment undecoded.
            ("#/definitions/x%FF", "x%FF", ""),
        ];
        for (target, name, rest) in cases {
            let want = Some((name.to_owned(), rest));
            assert_eq!(definition_ref(target, &both), want, "{target}");
        }
        assert_eq!(definition_ref("#/$defs/Room", &[DEFINITIONS]), None);
        assert_eq!(definition_ref("https://example.com/x.json", &both), None);
    }
}
