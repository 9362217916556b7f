//! TechEmpower's database tests on actix-web with tokio-postgres and a deadpool pool:
//! `GET /db` answers one random `World` row as JSON, `GET /queries?n=N` N rows (N clamped to
//! 1..=500, 1 when missing or not a number), `GET /fortunes` every `Fortune` row and one added
//! at request time, sorted by message, as an HTML table with its text escaped.
//!
//! Settings, read from the environment:
//! - `BIND_ADDR`: the address to listen on (default `127.0.0.1:8080`);
//! - `DATABASE_URL`: the database, as a libpq connection string;
//! - `POOL_SIZE`: the pool's connections;
//! - `WORKERS`: how many actix worker threads serve connections (default: actix's own).

use std::env;
use std::io;

use actix_web::http::header;
use actix_web::{App, HttpResponse, HttpServer, get, web};
use askama::Template;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use serde::{Deserialize, Serialize};

const WORLD_ROWS: i32 = 10_000;

#[derive(Serialize)]
struct World {
    id: i32,
    #[serde(rename = "randomNumber")]
    random_number: i32,
}

struct Fortune {
    id: i32,
    message: String,
}

#[derive(Template)]
#[template(
    source = "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>{% for f in fortunes %}<tr><td>{{ f.id }}</td><td>{{ f.message }}</td></tr>{% endfor %}</table></body></html>",
    ext = "html"
)]
struct FortunesPage {
    fortunes: Vec<Fortune>,
}

#[derive(Deserialize)]
struct Queries {
    n: Option<String>,
}

/// TechEmpower's query count: a number clamped to 1..=500, else 1.
fn query_count(text: Option<&str>) -> usize {
    text.and_then(|text| text.parse::<i64>().ok())
        .map_or(1, |n| n.clamp(1, 500) as usize)
}

fn failure(err: impl std::fmt::Display) -> HttpResponse {
    HttpResponse::InternalServerError().body(err.to_string())
}

async fn random_world(client: &deadpool_postgres::Client) -> Result<World, tokio_postgres::Error> {
    let statement = client
        .prepare_cached("SELECT id, randomnumber FROM world WHERE id = $1")
        .await?;
    let row = client
        .query_one(&statement, &[&fastrand::i32(1..=WORLD_ROWS)])
        .await?;
    Ok(World {
        id: row.get(0),
        random_number: row.get(1),
    })
}

#[get("/db")]
async fn db(pool: web::Data<Pool>) -> HttpResponse {
    let client = match pool.get().await {
        Ok(client) => client,
        Err(err) => return failure(err),
    };
    match random_world(&client).await {
        Ok(world) => HttpResponse::Ok()
            .insert_header((header::SERVER, "actix-web"))
            .json(world),
        Err(err) => failure(err),
    }
}

#[get("/queries")]
async fn queries(pool: web::Data<Pool>, query: web::Query<Queries>) -> HttpResponse {
    let client = match pool.get().await {
        Ok(client) => client,
        Err(err) => return failure(err),
    };
    let count = query_count(query.n.as_deref());
    let mut worlds = Vec::with_capacity(count);
    for _ in 0..count {
        match random_world(&client).await {
            Ok(world) => worlds.push(world),
            Err(err) => return failure(err),
        }
    }
    HttpResponse::Ok()
        .insert_header((header::SERVER, "actix-web"))
        .json(worlds)
}

#[get("/fortunes")]
async fn fortunes(pool: web::Data<Pool>) -> HttpResponse {
    let client = match pool.get().await {
        Ok(client) => client,
        Err(err) => return failure(err),
    };
    let rows = match client
        .prepare_cached("SELECT id, message FROM fortune")
        .await
    {
        Ok(statement) => client.query(&statement, &[]).await,
        Err(err) => return failure(err),
    };
    let mut fortunes: Vec<Fortune> = match rows {
        Ok(rows) => rows
            .iter()
            .map(|row| Fortune {
                id: row.get(0),
                message: row.get(1),
            })
            .collect(),
        Err(err) => return failure(err),
    };
    fortunes.push(Fortune {
        id: 0,
        message: "Additional fortune added at request time.".to_owned(),
    });
    fortunes.sort_by(|a, b| a.message.cmp(&b.message));
    match (FortunesPage { fortunes }).render() {
        Ok(page) => HttpResponse::Ok()
            .insert_header((header::SERVER, "actix-web"))
            .content_type("text/html; charset=utf-8")
            .body(page),
        Err(err) => failure(err),
    }
}

fn invalid(name: &str, value: &str, err: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{name}={value:?} is not a positive integer: {err}"),
    )
}

#[actix_web::main]
async fn main() -> io::Result<()> {
    let addr = env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    let url = env::var("DATABASE_URL")
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "DATABASE_URL is not set"))?;
    let size = env::var("POOL_SIZE").unwrap_or_default();
    let size: usize = size
        .parse()
        .map_err(|err| invalid("POOL_SIZE", &size, err))?;
    let config: tokio_postgres::Config = url.parse().map_err(|err| {
        io::Error::new(io::ErrorKind::InvalidInput, format!("DATABASE_URL: {err}"))
    })?;
    let manager = Manager::from_config(
        config,
        tokio_postgres::NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let pool = Pool::builder(manager)
        .max_size(size)
        .build()
        .map_err(io::Error::other)?;
    let pool = web::Data::new(pool);
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(pool.clone())
            .service(db)
            .service(queries)
            .service(fortunes)
    });
    if let Ok(workers) = env::var("WORKERS") {
        server = server.workers(
            workers
                .parse()
                .map_err(|err| invalid("WORKERS", &workers, err))?,
        );
    }
    server.bind(addr)?.run().await
}
