//! A QR code drawn as text, for the recovery key to photograph: both front ends draw
//! these lines (the CLI wraps them in colour codes, the TUI in a style), so the code
//! is made once, here, and knows no terminal.

use zeroize::Zeroizing;

/// `text` as a QR code of half blocks, two rows of modules per line, with its quiet
/// zone of four light modules on each side; every line as wide as the others.
/// `dark` says which modules the blocks draw: the dark ones, for black on a light
/// background; else the light ones, for a terminal without colour whose background
/// is dark. Empty when `text` is too long for a QR code. The lines hold the code of
/// a secret: they are wiped when dropped.
pub fn lines(text: &str, dark: bool) -> Zeroizing<Vec<String>> {
    use qrcode::render::unicode::Dense1x2;
    let Ok(code) = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M) else {
        return Zeroizing::new(Vec::new());
    };
    let (drawn, blank) = if dark {
        (Dense1x2::Dark, Dense1x2::Light)
    } else {
        (Dense1x2::Light, Dense1x2::Dark)
    };
    let drawing = Zeroizing::new(
        code.render::<Dense1x2>()
            .dark_color(drawn)
            .light_color(blank)
            .build(),
    );
    Zeroizing::new(drawing.lines().map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The drawing read back: one module per cell and half line, its quiet zone of
    /// four light modules on each side, and the code's own modules inside.
    #[test]
    fn the_lines_hold_the_code_s_modules() {
        let secret = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
        let code =
            qrcode::QrCode::with_error_correction_level(secret.as_bytes(), qrcode::EcLevel::M).unwrap();
        let width = code.width();
        let modules = code.to_colors();
        for dark in [true, false] {
            let drawing = lines(secret, dark);
            let mut rows: Vec<Vec<bool>> = Vec::new();
            for line in drawing.iter() {
                let (mut top, mut bottom) = (Vec::new(), Vec::new());
                for c in line.chars() {
                    let (t, b) = match c {
                        ' ' => (false, false),
                        '▀' => (true, false),
                        '▄' => (false, true),
                        '█' => (true, true),
                        other => panic!("unexpected {other:?}"),
                    };
                    // Drawn is dark with `dark`; else drawn is light.
                    top.push(t == dark);
                    bottom.push(b == dark);
                }
                rows.push(top);
                rows.push(bottom);
            }
            assert_eq!(rows[0].len(), width + 8);
            assert!(drawing.iter().all(|l| l.chars().count() == width + 8));
            for (y, row) in rows.iter().enumerate().take(width + 8) {
                for (x, dark_module) in row.iter().enumerate() {
                    let inside = (4..width + 4).contains(&x) && (4..width + 4).contains(&y);
                    let expected = inside && modules[(y - 4) * width + (x - 4)] == qrcode::Color::Dark;
                    assert_eq!(*dark_module, expected, "module ({x}, {y}), dark {dark}");
                }
            }
        }
    }
}
