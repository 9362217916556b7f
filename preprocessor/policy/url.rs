//! What a source URL (a `url` or `homepage` key) may be: one absolute `http` or `https` URL with
//! a host, and nothing else. Browsers and Markdown readers are lenient: they drop line breaks
//! inside an address, read `\` as `/` and skip extra slashes, so that `https:///etc/passwd` or a
//! URL followed by `\n\n[r]: javascript:...` would mean something other than what it shows.
//! Nothing of the kind is accepted here.
//!
//! A link to one of the book's own chapters is a path, not a URL: [`relative_path`] writes it
//! so that nothing in a file name can be read as a scheme, a query or a fragment.

/// Why a text is not a source URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// Whitespace or a control character, at this byte offset.
    Space(usize, char),
    /// It does not start with `http://` or `https://`.
    Scheme,
    /// Nothing stands between `//` and the path (`https:///etc/passwd`).
    NoHost,
    /// A user name or password stands before the host (`https://user@host`).
    UserInfo,
    /// The host or port has this character, at this byte offset.
    Host(usize, char),
}

/// The schemes a source URL may have, in the order they are tried.
const SCHEMES: [&str; 2] = ["https://", "http://"];

/// Checks that `url` is one absolute http(s) URL with a host and nothing else.
pub(crate) fn check(url: &str) -> Result<(), Problem> {
    if let Some((at, c)) = url
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || c.is_control())
    {
        return Err(Problem::Space(at, c));
    }
    let rest = SCHEMES
        .iter()
        .find_map(|scheme| url.strip_prefix(scheme))
        .ok_or(Problem::Scheme)?;
    let offset = url.len() - rest.len();
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.contains('@') {
        return Err(Problem::UserInfo);
    }
    let (host, port) = split_port(authority);
    if host.is_empty() {
        return Err(Problem::NoHost);
    }
    let host_ok = |c: char| c.is_alphanumeric() || c == '-' || c == '.';
    let bad = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        // An IPv6 address.
        Some(address) => address
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_hexdigit() || *c == ':' || *c == '.'))
            .map(|(at, c)| (at + 1, c)),
        None => host.char_indices().find(|(_, c)| !host_ok(*c)),
    };
    if let Some((at, c)) = bad {
        return Err(Problem::Host(offset + at, c));
    }
    if let Some(port) = port {
        let port_at = offset + host.len() + 1;
        match port.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
            Some((at, c)) => return Err(Problem::Host(port_at + at, c)),
            None if port.is_empty() => return Err(Problem::Host(port_at - 1, ':')),
            None => {}
        }
    }
    Ok(())
}

/// The host and the port (after the last `:` that is not inside an IPv6 address's brackets).
fn split_port(authority: &str) -> (&str, Option<&str>) {
    let host_end = if authority.starts_with('[') {
        authority.find(']').map_or(authority.len(), |i| i + 1)
    } else {
        authority.find(':').unwrap_or(authority.len())
    };
    let (host, rest) = authority.split_at(host_end);
    match rest.strip_prefix(':') {
        Some(port) => (host, Some(port)),
        None if rest.is_empty() => (host, None),
        // Something after `]` other than a port.
        None => (authority, None),
    }
}

/// The path of a file of the book, relative to the page that links it (`/`-separated), as a
/// link target that means that file and nothing else: every byte but ASCII letters, digits,
/// `-`, `.`, `_`, `~` and the `/` between segments is percent-encoded, so that a file name
/// cannot end a scheme (`javascript:`), start a query or a fragment (`?`, `#`), hold an escape
/// (`%`) or break out of an attribute or a Markdown link; and it starts with `./` or `../`, so
/// that it cannot be read as anything but relative.
pub(crate) fn relative_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    if !(path.starts_with("./") || path.starts_with("../")) {
        out.push_str("./");
    }
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_absolute_urls() {
        for ok in [
            "https://go.dev/",
            "http://example.org",
            "https://doc.rust-lang.org/book/ch01-00.html?x=1#top",
            "https://example.org:8443/a",
            "https://[2001:db8::1]/x",
            "https://bücher.example/",
            "https://x.org/a(b)%20c",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_whitespace_and_control_characters_anywhere() {
        assert_eq!(
            check("https://x.org/\n\n[r]:javascript:alert(1)"),
            Err(Problem::Space(14, '\n'))
        );
        assert_eq!(check("https:// "), Err(Problem::Space(8, ' ')));
        assert_eq!(check(" https://x.org"), Err(Problem::Space(0, ' ')));
        assert_eq!(
            check("https://x.org/\u{1b}[2J"),
            Err(Problem::Space(14, '\u{1b}'))
        );
        assert_eq!(
            check("https://x.org/\u{a0}"),
            Err(Problem::Space(14, '\u{a0}'))
        );
    }

    #[test]
    fn rejects_what_is_not_http_with_a_host() {
        for (bad, problem) in [
            ("doc.rust-lang.org/book", Problem::Scheme),
            ("javascript:alert(1)", Problem::Scheme),
            ("HTTPS://x.org", Problem::Scheme),
            ("https:x.org", Problem::Scheme),
            ("//x.org", Problem::Scheme),
            ("", Problem::Scheme),
            ("https:///etc/passwd", Problem::NoHost),
            ("https://", Problem::NoHost),
            ("https://:80/", Problem::NoHost),
            ("https://good.org@evil.org/", Problem::UserInfo),
            ("https://evil.org\\@good.org", Problem::UserInfo),
            ("https://evil.org\\x", Problem::Host(16, '\\')),
            ("https://x.org:8o/", Problem::Host(15, 'o')),
            ("https://x.org:/", Problem::Host(13, ':')),
            ("https://[::1]x/", Problem::Host(8, '[')),
        ] {
            assert_eq!(check(bad), Err(problem), "{bad}");
        }
    }

    #[test]
    fn a_chapter_path_is_only_ever_a_relative_path() {
        for (path, expected) in [
            ("speed.html", "./speed.html"),
            ("../speed.html", "../speed.html"),
            ("./a/b.html", "./a/b.html"),
            (
                "javascript:void(0)<!--.html",
                "./javascript%3Avoid%280%29%3C%21--.html",
            ),
            ("a b#c?d%20.html", "./a%20b%23c%3Fd%2520.html"),
            ("//evil.org/x.html", ".///evil.org/x.html"),
            ("é\"'`|\n.html", "./%C3%A9%22%27%60%7C%0A.html"),
        ] {
            assert_eq!(relative_path(path), expected, "{path}");
        }
    }
}
