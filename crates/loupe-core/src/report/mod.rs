//! Stage 7, report: text, JSON and Markdown renderings of one [`crate::Analysis`], and redaction.

pub mod redact;
