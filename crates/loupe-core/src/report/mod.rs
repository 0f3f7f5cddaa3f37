//! Stage 7, report: text, JSON and Markdown renderings of one [`Analysis`].
