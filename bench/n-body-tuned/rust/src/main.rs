//! The Benchmarks Game's n-body, single-threaded, tuned the way the game's fastest
//! single-threaded entries are, to the same level as the Go one beside it: the same integrator and
//! arithmetic as `../../n-body/rust`, but each body holds its coordinates as named fields, the
//! bodies are a fixed-size array, and the inner loop of a step keeps the outer body's position,
//! velocity and mass in local variables, writing its velocity back once, after the loop, and the
//! force on each pair is scaled once per body (`pull`, `push`) rather than once per coordinate.
//! Safe Rust only: no `unsafe`, no SIMD intrinsics.
//!
//! Usage: `n-body-tuned [STEPS]` (default 1000); prints the system's energy before and after.

use std::env;
use std::f64::consts::PI;
use std::process::ExitCode;

const SOLAR_MASS: f64 = 4.0 * PI * PI;
const DAYS_PER_YEAR: f64 = 365.24;
/// The time step of the integration.
const DT: f64 = 0.01;
/// The number of bodies: the Sun and four planets.
const COUNT: usize = 5;

/// A body: position, velocity and mass.
#[derive(Clone, Copy)]
struct Body {
    x: f64,
    y: f64,
    z: f64,
    vx: f64,
    vy: f64,
    vz: f64,
    mass: f64,
}

impl Body {
    /// A planet, from its position (AU), velocity (AU per day) and mass (solar masses).
    const fn planet(position: [f64; 3], velocity: [f64; 3], mass: f64) -> Body {
        Body {
            x: position[0],
            y: position[1],
            z: position[2],
            vx: velocity[0] * DAYS_PER_YEAR,
            vy: velocity[1] * DAYS_PER_YEAR,
            vz: velocity[2] * DAYS_PER_YEAR,
            mass: mass * SOLAR_MASS,
        }
    }
}

/// The Sun, Jupiter, Saturn, Uranus and Neptune, as the game starts them.
// The game's constants, digit for digit, though an f64 keeps only about 17 of them.
#[allow(clippy::excessive_precision)]
const BODIES: [Body; COUNT] = [
    Body::planet([0.0; 3], [0.0; 3], 1.0),
    Body::planet(
        [
            4.84143144246472090e+00,
            -1.16032004402742839e+00,
            -1.03622044471123109e-01,
        ],
        [
            1.66007664274403694e-03,
            7.69901118419740425e-03,
            -6.90460016972063023e-05,
        ],
        9.54791938424326609e-04,
    ),
    Body::planet(
        [
            8.34336671824457987e+00,
            4.12479856412430479e+00,
            -4.03523417114321381e-01,
        ],
        [
            -2.76742510726862411e-03,
            4.99852801234917238e-03,
            2.30417297573763929e-05,
        ],
        2.85885980666130812e-04,
    ),
    Body::planet(
        [
            1.28943695621391310e+01,
            -1.51111514016986312e+01,
            -2.23307578892655734e-01,
        ],
        [
            2.96460137564761618e-03,
            2.37847173959480950e-03,
            -2.96589568540237556e-05,
        ],
        4.36624404335156298e-05,
    ),
    Body::planet(
        [
            1.53796971148509165e+01,
            -2.59193146099879641e+01,
            1.79258772950371181e-01,
        ],
        [
            2.68067772490389322e-03,
            1.62824170038242295e-03,
            -9.51592254519715870e-05,
        ],
        5.15138902046611451e-05,
    ),
];

/// Gives the Sun the velocity that makes the system's total momentum zero.
fn offset_momentum(bodies: &mut [Body; COUNT]) {
    let (mut px, mut py, mut pz) = (0.0, 0.0, 0.0);
    for body in bodies.iter() {
        px += body.vx * body.mass;
        py += body.vy * body.mass;
        pz += body.vz * body.mass;
    }
    let sun = &mut bodies[0];
    sun.vx = -px / SOLAR_MASS;
    sun.vy = -py / SOLAR_MASS;
    sun.vz = -pz / SOLAR_MASS;
}

/// The system's total energy: kinetic, minus the potential of every pair.
fn energy(bodies: &[Body; COUNT]) -> f64 {
    let mut energy = 0.0;
    for (i, body) in bodies.iter().enumerate() {
        energy += 0.5 * body.mass * (body.vx * body.vx + body.vy * body.vy + body.vz * body.vz);
        for other in &bodies[i + 1..] {
            let (dx, dy, dz) = (body.x - other.x, body.y - other.y, body.z - other.z);
            energy -= body.mass * other.mass / (dx * dx + dy * dy + dz * dz).sqrt();
        }
    }
    energy
}

/// Moves the system one time step forward.
fn advance(bodies: &mut [Body; COUNT]) {
    for i in 0..COUNT {
        let (head, tail) = bodies.split_at_mut(i + 1);
        let body = &mut head[i];
        let (x, y, z, mass) = (body.x, body.y, body.z, body.mass);
        let (mut vx, mut vy, mut vz) = (body.vx, body.vy, body.vz);
        for other in tail {
            let (dx, dy, dz) = (x - other.x, y - other.y, z - other.z);
            let distance2 = dx * dx + dy * dy + dz * dz;
            let magnitude = DT / (distance2 * distance2.sqrt());
            let (pull, push) = (other.mass * magnitude, mass * magnitude);
            vx -= dx * pull;
            vy -= dy * pull;
            vz -= dz * pull;
            other.vx += dx * push;
            other.vy += dy * push;
            other.vz += dz * push;
        }
        body.vx = vx;
        body.vy = vy;
        body.vz = vz;
    }
    for body in bodies.iter_mut() {
        body.x += DT * body.vx;
        body.y += DT * body.vy;
        body.z += DT * body.vz;
    }
}

fn main() -> ExitCode {
    let steps = match env::args().nth(1).map(|arg| arg.parse::<u64>()) {
        None => 1000,
        Some(Ok(steps)) => steps,
        Some(Err(_)) => {
            eprintln!("n-body-tuned: STEPS must be a whole number");
            return ExitCode::FAILURE;
        }
    };
    let mut bodies = BODIES;
    offset_momentum(&mut bodies);
    println!("{:.9}", energy(&bodies));
    for _ in 0..steps {
        advance(&mut bodies);
    }
    println!("{:.9}", energy(&bodies));
    ExitCode::SUCCESS
}
