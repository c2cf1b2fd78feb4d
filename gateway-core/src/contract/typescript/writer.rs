//! The output, written line by line with explicit indentation depths.

use super::jsdoc::Doc;

/// Lines longer than this put one parameter per line.
pub(super) const MAX_WIDTH: usize = 100;

/// One level of indentation.
pub(super) const INDENT: &str = "  ";

/// The output, written line by line with explicit indentation depths.
#[derive(Default)]
pub(super) struct Writer {
    out: String,
}

impl Writer {
    /// `text` indented `depth` levels. Lines inside `text` keep their own indentation.
    pub(super) fn line(&mut self, depth: usize, text: &str) {
        if !text.is_empty() {
            for _ in 0..depth {
                self.out.push_str(INDENT);
            }
            self.out.push_str(text);
        }
        self.out.push('\n');
    }

    pub(super) fn blank(&mut self) {
        self.out.push('\n');
    }

    /// `export interface Name {`, the members `body` writes, `}`.
    pub(super) fn interface(&mut self, name: &str, body: impl FnOnce(&mut Self)) {
        self.line(0, &format!("export interface {name} {{"));
        body(self);
        self.line(0, "}");
    }

    /// Text written as is.
    pub(super) fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// `/** one line */`, or a block for several lines; nothing when empty.
    pub(super) fn doc(&mut self, depth: usize, doc: &Doc) {
        match doc.lines.as_slice() {
            [] => {}
            [line] => self.line(depth, &format!("/** {line} */")),
            lines => {
                self.line(depth, "/**");
                for line in lines {
                    if line.is_empty() {
                        self.line(depth, " *");
                    } else {
                        self.line(depth, &format!(" * {line}"));
                    }
                }
                self.line(depth, " */");
            }
        }
    }

    pub(super) fn finish(self) -> String {
        self.out
    }
}
