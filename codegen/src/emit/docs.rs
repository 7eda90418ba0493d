//! Documentation text: page prose made safe for rustdoc, and turned into `#[doc]` attributes.
//!
//! Page text is Markdown-ish prose written for a web page. Left as is, rustdoc would read
//! `[a]` as an intra-doc link, `<id>` as an unclosed HTML tag, a bare URL as a lint, and an
//! indented or unlabelled code block as a Rust doctest to compile. [`escape`] neutralises
//! each of those while keeping the text readable in source and in rendered docs.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::FieldDoc;

/// Outer doc attributes (`///`), one per line, for already escaped Markdown.
pub fn outer(markdown: &str) -> TokenStream {
    let lines = lines(markdown);
    quote! { #( #[doc = #lines] )* }
}

/// Inner doc attributes (`//!`), one per line, for already escaped Markdown.
pub fn inner(markdown: &str) -> TokenStream {
    let lines = lines(markdown);
    quote! { #( #![doc = #lines] )* }
}

/// Each line prefixed with a space, as `/// text` carries one; empty lines stay empty.
fn lines(markdown: &str) -> Vec<String> {
    markdown
        .trim_end()
        .lines()
        .map(|line| {
            let line = line.trim_end();
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// A link to an operation's client method, labelled with its action: ``[`CreateAPSJob`](crate::Client::create_aps_job)``.
/// Rustdoc cannot resolve raw identifiers in links (`r#type`), so those link to the client.
pub fn client_link(action: &str, method: &str) -> String {
    if method.starts_with("r#") {
        format!("[`{action}`](crate::Client)")
    } else {
        format!("[`{action}`](crate::Client::{method})")
    }
}

/// Joins paragraphs with a blank line, skipping empty ones.
pub fn paragraphs<I, S>(parts: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let kept: Vec<String> = parts
        .into_iter()
        .map(|part| part.as_ref().trim().to_owned())
        .filter(|part| !part.is_empty())
        .collect();
    kept.join("\n\n")
}

/// An inline code span holding `text` verbatim, whatever backticks it contains.
pub fn code(text: &str) -> String {
    let one_line = text.replace(['\r', '\n'], " ");
    let mut longest = 0;
    let mut run = 0;
    for c in one_line.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{one_line}{fence}")
    } else {
        // Padding keeps a leading or trailing backtick from merging with the fence.
        format!("{fence} {one_line} {fence}")
    }
}

/// The documentation of a field (and its builder setter). `wire` is said when the spec
/// gives no description, so no item is left undocumented.
pub fn field(wire: &str, doc: &FieldDoc) -> String {
    let mut notes = Vec::new();
    if doc.required {
        notes.push("Required.".to_owned());
    }
    if doc.sensitive {
        notes.push("Sensitive: redacted in `Debug` output.".to_owned());
    }
    if doc.idempotency_token {
        notes.push(
            "Idempotency token: when left unset, the runtime generates one per call and reuses \
             it on every retry."
                .to_owned(),
        );
    }
    if doc.json {
        notes.push("A string that carries JSON text, sent as is.".to_owned());
    }
    if doc.deprecated {
        notes.push("**Deprecated.**".to_owned());
    }
    if !doc.enumeration.is_empty() {
        let values: Vec<String> = doc.enumeration.iter().map(|value| code(value)).collect();
        notes.push(format!("Allowed values: {}.", values.join(", ")));
    }
    if let Some(default) = &doc.default {
        notes.push(format!("Default: {}.", code(default)));
    }
    let example = doc.example.as_deref().map(example);
    let description = match doc.description.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => escape(text),
        _ => format!("The {} field.", code(wire)),
    };
    paragraphs([description, notes.join(" "), example.unwrap_or_default()])
}

/// `Example: `value`` for one-line examples; a `text` block for multi-line ones (JSON).
pub fn example(value: &str) -> String {
    if value.trim().is_empty() {
        return String::new();
    }
    if value.contains('\n') {
        let body = value.trim_end().replace("```", "` ` `");
        format!("Example:\n\n```text\n{body}\n```")
    } else {
        format!("Example: {}", code(value))
    }
}

/// Makes page prose safe for rustdoc (see the module docs). Code spans and fenced blocks are
/// kept verbatim, except that fences get a `text` language so they are never doctests.
pub fn escape(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    let mut previous_item = false;
    for line in text.split('\n') {
        let trimmed = line.trim_start();
        let item = !in_fence && is_list_item(trimmed);
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if in_fence {
                out.push_str("```");
            } else {
                // A fence without a language (or tagged rust) would be compiled as a doctest.
                out.push_str("```text");
            }
            in_fence = !in_fence;
        } else if in_fence {
            out.push_str(line);
        } else {
            // A prose line right after a list item, once unindented, would continue the
            // item lazily (clippy's `doc_lazy_continuation`); a blank line ends the list.
            if previous_item && !item && !trimmed.is_empty() {
                out.push('\n');
            }
            // Four spaces of indent would start an indented code block, i.e. a doctest.
            out.push_str(&escape_line(trimmed));
        }
        previous_item = item;
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

/// Whether a (left-trimmed) line starts a markdown list item: `*`, `-` or `+`, or a number
/// and `.` or `)`, followed by a space.
fn is_list_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = if digits > 0 {
        match line[digits..].strip_prefix(['.', ')']) {
            Some(rest) => rest,
            None => return false,
        }
    } else {
        match line.strip_prefix(['*', '-', '+']) {
            Some(rest) => rest,
            None => return false,
        }
    };
    rest.starts_with(' ')
}

/// Escapes one prose line outside code blocks, keeping inline code spans verbatim.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            if let Some(end) = code_span_end(&chars, i) {
                out.extend(&chars[i..end]);
                i = end;
                continue;
            }
            // An unmatched backtick would pair with one in a later line of the same doc.
            out.push_str("\\`");
            i += 1;
            continue;
        }
        if let Some(len) = url_len(&chars[i..]) {
            let url: String = chars[i..i + len].iter().collect();
            out.push('<');
            out.push_str(&url);
            out.push('>');
            i += len;
            continue;
        }
        match c {
            // Only what rustdoc would misread: links and HTML tags. Emphasis marks and the
            // like render slightly differently at worst, and escaping them would make the
            // source docs hard to read.
            '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// End (exclusive) of the code span opening at `start`: the next run of exactly as many
/// backticks, on the same line.
fn code_span_end(chars: &[char], start: usize) -> Option<usize> {
    let fence = chars[start..].iter().take_while(|c| **c == '`').count();
    let mut i = start + fence;
    while i < chars.len() {
        if chars[i] == '`' {
            let run = chars[i..].iter().take_while(|c| **c == '`').count();
            if run == fence {
                return Some(i + run);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// Length of a URL starting here (`http://` or `https://`), without trailing punctuation.
fn url_len(chars: &[char]) -> Option<usize> {
    let starts = |prefix: &str| chars.iter().take(prefix.len()).copied().eq(prefix.chars());
    let scheme = if starts("https://") {
        8
    } else if starts("http://") {
        7
    } else {
        return None;
    };
    let mut len = chars
        .iter()
        .position(|c| {
            c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '\'') || !c.is_ascii()
        })
        .unwrap_or(chars.len());
    while len > scheme
        && matches!(
            chars[len - 1],
            '.' | ',' | ';' | ':' | ')' | ']' | '!' | '?'
        )
    {
        len -= 1;
    }
    (len > scheme).then_some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_after_a_list_item_starts_a_paragraph() {
        // rds DescribeParameterGroups SignalForOptimizeParams, as the metadata writes it.
        assert_eq!(
            escape("Valid values:\n*   true\n*   false\n><notice>Deprecated.></notice>"),
            "Valid values:\n*   true\n*   false\n\n&gt;&lt;notice&gt;Deprecated.&gt;&lt;/notice&gt;"
        );
        assert_eq!(escape("1. one\n2) two\nthree"), "1. one\n2) two\n\nthree");
        assert_eq!(escape("*   a\n\nb"), "*   a\n\nb");
        assert_eq!(escape("-1 is not an item\nnext"), "-1 is not an item\nnext");
    }

    #[test]
    fn brackets_are_not_intra_doc_links() {
        assert_eq!(
            escape("see [DescribeRegions] or [a][b]"),
            r"see \[DescribeRegions\] or \[a\]\[b\]"
        );
    }

    #[test]
    fn html_like_text_is_escaped() {
        assert_eq!(
            escape("line<br>next <instance_id> & more"),
            "line&lt;br&gt;next &lt;instance_id&gt; & more"
        );
    }

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(
            escape("See https://help.aliyun.com/doc.html. Or (http://a.b/c)."),
            "See <https://help.aliyun.com/doc.html>. Or (<http://a.b/c>)."
        );
    }

    #[test]
    fn code_spans_are_verbatim() {
        assert_eq!(escape("Set `[a]<b>` to `x_y`"), "Set `[a]<b>` to `x_y`");
        assert_eq!(escape("odd ` tick"), r"odd \` tick");
    }

    #[test]
    fn fences_become_text_blocks_and_indent_is_dropped() {
        let text = "Example:\n```\n{\"a\": [1]}\n```\n    indented [x]";
        assert_eq!(
            escape(text),
            "Example:\n```text\n{\"a\": [1]}\n```\nindented \\[x\\]"
        );
        assert_eq!(escape("```json\nunclosed"), "```text\nunclosed\n```");
    }

    #[test]
    fn code_spans_survive_backticks_in_the_value() {
        assert_eq!(code("cn-shanghai"), "`cn-shanghai`");
        assert_eq!(code("a`b"), "`` a`b ``");
    }

    #[test]
    fn multi_line_examples_are_text_blocks() {
        assert_eq!(
            example("{\n  \"a\": 1\n}"),
            "Example:\n\n```text\n{\n  \"a\": 1\n}\n```"
        );
        assert_eq!(example("   "), "");
    }

    #[test]
    fn doc_lines_get_a_leading_space() {
        assert_eq!(
            lines("a\n\nb  "),
            vec![" a".to_owned(), String::new(), " b".to_owned()]
        );
    }
}
