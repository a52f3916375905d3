//! Wrapping done by the views themselves rather than by ratatui's `Paragraph`: a
//! view that knows exactly how many lines its text takes can size its box or its
//! status area to fit, so nothing is cut off at the bottom of a box.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// The display width of `s` in terminal cells.
pub fn width_of(s: &str) -> usize {
    Span::raw(s).width()
}

fn char_width(c: char) -> usize {
    width_of(c.encode_utf8(&mut [0; 4]))
}

/// `line` broken into lines of at most `width` cells, each character keeping its
/// style. Breaks at spaces (dropping the space), inside a word only when the word
/// alone is wider than a line; spaces inside a line (indents, columns) are kept.
pub fn wrap_line(line: &Line<'_>, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width).max(1);
    let chars: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
        .collect();
    let mut rows: Vec<Vec<(char, Style)>> = vec![Vec::new()];
    let mut used = 0;
    let mut i = 0;
    while i < chars.len() {
        let space = chars[i].0 == ' ';
        let end = chars[i..]
            .iter()
            .position(|(c, _)| (*c == ' ') != space)
            .map_or(chars.len(), |n| i + n);
        let token = &chars[i..end];
        let w: usize = token.iter().map(|(c, _)| char_width(*c)).sum();
        let row = rows.last_mut().expect("there is always a row");
        if used + w <= width {
            row.extend_from_slice(token);
            used += w;
        } else if space {
            // A break: the spaces at it are dropped.
            rows.push(Vec::new());
            used = 0;
        } else {
            if used > 0 && !row.iter().all(|(c, _)| *c == ' ') {
                while row.last().is_some_and(|(c, _)| *c == ' ') {
                    row.pop();
                }
                rows.push(Vec::new());
                used = 0;
            }
            for &(c, style) in token {
                let cw = char_width(c);
                if used > 0 && used + cw > width {
                    rows.push(Vec::new());
                    used = 0;
                }
                rows.last_mut().expect("there is always a row").push((c, style));
                used += cw;
            }
        }
        i = end;
    }
    rows.into_iter()
        .map(|row| Line::from(spans_of(&row)).style(line.style))
        .collect()
}

/// Runs of equally styled characters as spans.
fn spans_of(row: &[(char, Style)]) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut style = None;
    for &(c, s) in row {
        if style.is_some_and(|st| st != s) {
            spans.push(Span::styled(std::mem::take(&mut text), style.unwrap_or_default()));
        }
        style = Some(s);
        text.push(c);
    }
    if let Some(s) = style {
        spans.push(Span::styled(text, s));
    }
    spans
}

/// Every line wrapped to `width`.
pub fn wrap_lines(lines: &[Line<'_>], width: u16) -> Vec<Line<'static>> {
    lines.iter().flat_map(|l| wrap_line(l, width)).collect()
}

/// `text` (line breaks kept) wrapped to `width`, all in `style`.
pub fn wrapped(text: &str, width: u16, style: Style) -> Vec<Line<'static>> {
    text.split('\n')
        .flat_map(|para| wrap_line(&Line::from(Span::styled(para.to_owned(), style)), width))
        .collect()
}

/// `body` wrapped to `width` under a hanging indent: the first line starts with
/// `lead`, the next ones with `indent` spaces, so that a wrapped value stays in its
/// column ("Status    revoked …" / "          still need one").
pub fn hanging(lead: Vec<Span<'static>>, body: &Line<'_>, indent: usize, width: u16) -> Vec<Line<'static>> {
    let inner = width.saturating_sub(indent as u16).max(1);
    let mut lines = wrap_line(body, inner);
    for (n, line) in lines.iter_mut().enumerate() {
        if n == 0 {
            line.spans.splice(0..0, lead.iter().cloned());
        } else {
            line.spans.insert(0, Span::raw(" ".repeat(indent)));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, width: u16) -> Vec<String> {
        wrapped(text, width, Style::default())
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn breaks_at_spaces_and_inside_only_overlong_words() {
        assert_eq!(texts("one two three", 7), ["one two", "three"]);
        assert_eq!(texts("abcdefghij xy", 4), ["abcd", "efgh", "ij", "xy"]);
        assert_eq!(texts("a\n\nb", 10), ["a", "", "b"]);
        assert_eq!(texts("", 10), [""]);
        assert_eq!(texts("  • indented item", 40), ["  • indented item"]);
        // Wide characters count as two cells.
        assert_eq!(texts("日本語", 4), ["日本", "語"]);
    }

    #[test]
    fn styles_stay_with_their_characters() {
        let bold = Style::default().add_modifier(ratatui::style::Modifier::BOLD);
        let line = Line::from(vec![Span::styled("Key", bold), Span::raw(" does a thing")]);
        let rows = wrap_line(&line, 8);
        let texts: Vec<String> = rows.iter().map(ToString::to_string).collect();
        assert_eq!(texts, ["Key does", "a thing"]);
        assert_eq!(rows[0].spans[0].style, bold);
        assert_eq!(rows[1].spans[0].style, Style::default());
    }
}
