//! How a tone (a language's colour, "depends", a category, a provenance) is written into an
//! HTML element's attributes: shared by the tables' badges and the charts' bars.

use std::fmt::Write;

use crate::view::Tone;

/// Closes a `class` attribute opened with `prefix` and adds what `tone` needs: its class
/// (`prefix-language`, `prefix-depends`, ...), the column or provenance as data, and a colour
/// from the data as the custom property `--cmp-c` (valid by construction).
pub(super) fn tone_attributes(out: &mut String, tone: &Tone, prefix: &str) {
    match tone {
        Tone::Language { column, colour } => {
            let _ = write!(out, " {prefix}-language\" data-column=\"{column}\"");
            if let Some(colour) = colour {
                let _ = write!(out, " style=\"--cmp-c:{}\"", colour.as_str());
            }
        }
        Tone::Depends => {
            let _ = write!(out, " {prefix}-depends\"");
        }
        Tone::Category => {
            let _ = write!(out, " {prefix}-category\"");
        }
        Tone::Provenance(trust) => {
            let _ = write!(
                out,
                " {prefix}-provenance\" data-provenance=\"{}\"",
                trust.name()
            );
        }
        Tone::Neutral => out.push('"'),
    }
}
