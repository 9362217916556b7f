//! TechEmpower-style JSON test server on actix-web: `GET /json` answers
//! `{"message":"Hello, World!"}` with `Content-Type: application/json`, plus the `Server` and
//! `Date` headers that the TechEmpower test requires.
//!
//! Settings, read from the environment:
//! - `BIND_ADDR`: the address to listen on (default `127.0.0.1:8080`);
//! - `WORKERS`: how many actix worker threads serve connections (default: actix's own,
//!   one per CPU the process may run on).

use std::env;
use std::io;

use actix_web::http::header;
use actix_web::{App, HttpResponse, HttpServer, get};
use serde::Serialize;

/// The response body, serialized anew for every request as the TechEmpower rules ask.
#[derive(Serialize)]
struct Message {
    message: &'static str,
}

#[get("/json")]
async fn json() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::SERVER, "actix-web"))
        .json(Message {
            message: "Hello, World!",
        })
}

#[actix_web::main]
async fn main() -> io::Result<()> {
    let addr = env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    let mut server = HttpServer::new(|| App::new().service(json));
    if let Ok(workers) = env::var("WORKERS") {
        let workers = workers.parse().map_err(|err| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("WORKERS={workers:?} is not a positive integer: {err}"),
            )
        })?;
        server = server.workers(workers);
    }
    server.bind(addr)?.run().await
}
