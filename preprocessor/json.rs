//! Escaping text for the inside of a JSON string, byte for byte as serde_json does: `"` and `\`
//! escaped, the short forms `\b`, `\t`, `\n`, `\f` and `\r`, `\u00xx` for the other control
//! characters, and everything else as it is.

use std::io::{self, Write};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Bytes looked at together when skipping text that needs no escape.
const CHUNK: usize = 16;

/// Whether `byte` must be escaped in a JSON string.
fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Writes `text` escaped for the inside of a JSON string.
pub fn write_escaped(out: &mut impl Write, text: &str) -> io::Result<()> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let end = (i + CHUNK).min(bytes.len());
        let window = &bytes[i..end];
        // A whole chunk is checked with a few vector instructions; most need no escape.
        if let Ok(chunk) = <&[u8; CHUNK]>::try_from(window)
            && !chunk.iter().fold(false, |any, &b| any | needs_escape(b))
        {
            i = end;
            continue;
        }
        let Some(at) = window.iter().position(|&b| needs_escape(b)) else {
            i = end;
            continue;
        };
        i += at;
        out.write_all(&bytes[start..i])?;
        write_escape(out, bytes[i])?;
        i += 1;
        start = i;
    }
    out.write_all(&bytes[start..])
}

/// Writes the escape of one byte that needs one.
fn write_escape(out: &mut impl Write, byte: u8) -> io::Result<()> {
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        b'\n' => b'n',
        b'\t' => b't',
        b'\r' => b'r',
        0x08 => b'b',
        0x0c => b'f',
        _ => {
            let hex = [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xf)]];
            return out.write_all(&[b'\\', b'u', b'0', b'0', hex[0], hex[1]]);
        }
    };
    out.write_all(&[b'\\', short])
}

/// Writes `text` as a JSON string, quotes included.
pub fn write_string(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    write_escaped(out, text)?;
    out.write_all(b"\"")
}

/// `text` escaped for the inside of a JSON string.
pub fn escaped(text: &str) -> Box<[u8]> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 8);
    // Writing into a Vec cannot fail.
    let _ = write_escaped(&mut out, text);
    out.into_boxed_slice()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> String {
        let mut out = b"\"".to_vec();
        out.extend_from_slice(&escaped(text));
        out.push(b'"');
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_as_serde_json_does() {
        let mut special: String = (0u8..0x80).map(char::from).collect();
        special.push_str("é ü 😀 \u{2028} </script>");
        // Escapes at every offset around the chunks that are skipped whole.
        for padding in 0..2 * CHUNK + 2 {
            let text = format!("{}{special}{}", "a".repeat(padding), "z".repeat(padding));
            assert_eq!(quoted(&text), serde_json::to_string(&text).unwrap());
        }
    }
}
