//! A tiny static file server on 127.0.0.1, enough for Chromium to load a built book.
//!
//! It answers `GET` requests for files under one directory (a directory means its
//! `index.html`), one thread per connection, and closes each connection after one response.
//! It runs until the test process ends.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::thread;
use std::time::Duration;

/// A running server; [`Server::url`] turns a site path into an address Chromium can load.
pub(crate) struct Server {
    address: SocketAddr,
}

impl Server {
    /// Serves the files under `root` on a free loopback port, from a background thread.
    pub(crate) fn start(root: PathBuf) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let address = listener.local_addr()?;
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                thread::spawn(move || {
                    // A connection Chromium opened and never used simply times out.
                    let _ = respond(stream, &root);
                });
            }
        });
        Ok(Self { address })
    }

    /// The address of `path` (relative to the served directory, without a leading slash).
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.address)
    }
}

/// Reads one request from `stream` and sends the file it names, or a 404 or 405 response.
fn respond(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Read the headers up to the blank line; none of them matter here.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut words = request_line.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or("/"));
    if method != "GET" {
        return send(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"GET only\n",
        );
    }
    match resolve(root, target).and_then(|path| Some((std::fs::read(&path).ok()?, path))) {
        Some((body, path)) => send(&mut stream, "200 OK", content_type(&path), &body),
        None => send(&mut stream, "404 Not Found", "text/plain", b"not found\n"),
    }
}

/// Maps a request target such as `/ch1/page.html?x#y` to a file under `root`.
///
/// Returns `None` for a target that is not valid percent-encoded UTF-8 or that would leave
/// `root` (`..`, absolute components).
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let relative = PathBuf::from(percent_decode(path.trim_start_matches('/'))?);
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let file = root.join(relative);
    Some(if file.is_dir() {
        file.join("index.html")
    } else {
        file
    })
}

/// Decodes `%XX` escapes; `None` if an escape is malformed or the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if byte == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

/// The media type of a file that an mdBook build writes, by its extension.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        _ => "application/octet-stream",
    }
}

/// Writes a complete response and lets the connection close.
fn send(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}
