//! Semantic styles from the theme. Views ask for a role ("danger", "muted"), never a
//! colour; with `NO_COLOR` set every role is uncoloured and only weight and reverse
//! video remain, so the screen stays readable.

use ratatui::style::{Color, Modifier, Style};

use crate::theme::{self, Theme};

pub struct Styles<'a> {
    theme: &'a Theme,
    no_color: bool,
}

fn to_color(c: theme::Color) -> Color {
    match c {
        theme::Color::Reset => Color::Reset,
        theme::Color::Ansi(i) => Color::Indexed(i),
        theme::Color::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

impl<'a> Styles<'a> {
    pub fn new(theme: &'a Theme, no_color: bool) -> Self {
        Self { theme, no_color }
    }

    fn fg(&self, color: theme::Color) -> Style {
        if self.no_color {
            Style::default()
        } else {
            Style::default().fg(to_color(color))
        }
    }

    pub fn base(&self) -> Style {
        if self.no_color {
            Style::default()
        } else {
            Style::default()
                .fg(to_color(self.theme.palette.text))
                .bg(to_color(self.theme.palette.background))
        }
    }

    pub fn text(&self) -> Style {
        self.fg(self.theme.palette.text)
    }

    pub fn muted(&self) -> Style {
        let s = self.fg(self.theme.palette.muted);
        if self.no_color {
            s.add_modifier(Modifier::DIM)
        } else {
            s
        }
    }

    pub fn accent(&self) -> Style {
        self.fg(self.theme.palette.accent)
    }

    pub fn title(&self) -> Style {
        self.fg(self.theme.palette.title).add_modifier(Modifier::BOLD)
    }

    pub fn border(&self) -> Style {
        self.fg(self.theme.palette.border)
    }

    pub fn selected(&self) -> Style {
        if self.no_color {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
                .fg(to_color(self.theme.palette.selected_fg))
                .bg(to_color(self.theme.palette.selected_bg))
                .add_modifier(Modifier::BOLD)
        }
    }

    pub fn ok(&self) -> Style {
        self.fg(self.theme.palette.ok)
    }

    pub fn warning(&self) -> Style {
        self.fg(self.theme.palette.warning).add_modifier(Modifier::BOLD)
    }

    pub fn danger(&self) -> Style {
        self.fg(self.theme.palette.danger).add_modifier(Modifier::BOLD)
    }

    pub fn matched(&self) -> Style {
        self.fg(self.theme.palette.matched)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn key(&self) -> Style {
        self.fg(self.theme.palette.key).add_modifier(Modifier::BOLD)
    }

    pub fn gauge_empty(&self) -> Style {
        self.fg(self.theme.palette.gauge_empty)
    }

    /// A QR code: black on white whatever the theme, so that a camera reads it;
    /// without colour, plain (its light modules are the ones drawn then).
    pub fn qr(&self) -> Style {
        if self.no_color {
            Style::default()
        } else {
            Style::default().fg(Color::Black).bg(Color::White)
        }
    }

    pub fn input(&self) -> Style {
        if self.no_color {
            Style::default().add_modifier(Modifier::UNDERLINED)
        } else {
            Style::default()
                .fg(to_color(self.theme.palette.text))
                .bg(to_color(self.theme.palette.input_bg))
        }
    }
}
