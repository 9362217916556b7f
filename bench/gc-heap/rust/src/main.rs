//! A server on actix-web that keeps a large in-memory cache: at start-up it fills a map of
//! `ENTRIES` small entries (a short string and a few integers each), and each `GET /cache`
//! reads four random entries, replaces one of them with a new entry (so the heap keeps
//! changing) and answers them as JSON. Memory is managed by ownership with the default
//! allocator: there is no collector.
//!
//! Settings, read from the environment:
//! - `BIND_ADDR`: the address to listen on (default `127.0.0.1:8080`);
//! - `ENTRIES`: how many entries the cache holds (default 10,000,000);
//! - `WORKERS`: how many actix worker threads serve connections (default: actix's own,
//!   one per CPU the process may run on).

use std::collections::HashMap;
use std::env;
use std::io;
use std::sync::Mutex;

use actix_web::{App, HttpResponse, HttpServer, get, web};
use serde::Serialize;

/// How many random entries each request reads.
const READS: usize = 4;

/// One cached value: a short string and a few integers.
#[derive(Clone, Serialize)]
struct Entry {
    key: u64,
    name: String,
    version: u64,
    hits: u64,
    size: u64,
}

impl Entry {
    fn new(key: u64, version: u64) -> Self {
        let name = format!("entry-{key}");
        let size = name.len() as u64;
        Self {
            key,
            name,
            version,
            hits: 0,
            size,
        }
    }
}

/// The cache and the random numbers that pick its entries (xorshift64*: the standard library
/// has no random number generator, and this server adds no crate to those of `http-json`).
struct Cache {
    entries: HashMap<u64, Entry>,
    state: u64,
}

impl Cache {
    fn random_key(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_f491_4f6c_dd1d) % self.entries.len() as u64
    }
}

#[derive(Serialize)]
struct Answer {
    entries: Vec<Entry>,
}

#[get("/cache")]
async fn read_cache(cache: web::Data<Mutex<Cache>>) -> HttpResponse {
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut picked = Vec::with_capacity(READS);
    for _ in 0..READS {
        let key = cache.random_key();
        if let Some(entry) = cache.entries.get_mut(&key) {
            entry.hits += 1;
            picked.push(entry.clone());
        }
    }
    // Replace the first entry read with a new one: a fresh string, the old one freed.
    if let Some(first) = picked.first() {
        cache
            .entries
            .insert(first.key, Entry::new(first.key, first.version + 1));
    }
    drop(cache);
    HttpResponse::Ok().json(Answer { entries: picked })
}

fn positive(name: &str) -> io::Result<Option<u64>> {
    match env::var(name) {
        Err(_) => Ok(None),
        Ok(text) => match text.parse() {
            Ok(value) if value > 0 => Ok(Some(value)),
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{name}={text:?} is not a positive integer"),
            )),
        },
    }
}

#[actix_web::main]
async fn main() -> io::Result<()> {
    let addr = env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    let size = positive("ENTRIES")?.unwrap_or(10_000_000);
    let entries = (0..size).map(|key| (key, Entry::new(key, 0))).collect();
    let cache = web::Data::new(Mutex::new(Cache {
        entries,
        state: 0x9e37_79b9_7f4a_7c15,
    }));
    let mut server =
        HttpServer::new(move || App::new().app_data(cache.clone()).service(read_cache));
    if let Some(workers) = positive("WORKERS")? {
        server = server.workers(workers as usize);
    }
    server.bind(addr)?.run().await
}
