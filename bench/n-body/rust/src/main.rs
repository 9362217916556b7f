//! The Benchmarks Game's n-body: a simple symplectic integrator for the Jovian planets, in
//! double-precision floating point, single-threaded.
//!
//! Usage: `n-body [STEPS]` (default 1000); prints the system's energy before and after.

use std::env;
use std::f64::consts::PI;
use std::process::ExitCode;

const SOLAR_MASS: f64 = 4.0 * PI * PI;
const DAYS_PER_YEAR: f64 = 365.24;
/// The time step of the integration.
const DT: f64 = 0.01;

/// A body: position, velocity and mass.
#[derive(Clone, Copy)]
struct Body {
    position: [f64; 3],
    velocity: [f64; 3],
    mass: f64,
}

impl Body {
    /// A planet, from its position (AU), velocity (AU per day) and mass (solar masses).
    const fn planet(position: [f64; 3], velocity: [f64; 3], mass: f64) -> Body {
        Body {
            position,
            velocity: [
                velocity[0] * DAYS_PER_YEAR,
                velocity[1] * DAYS_PER_YEAR,
                velocity[2] * DAYS_PER_YEAR,
            ],
            mass: mass * SOLAR_MASS,
        }
    }
}

/// The Sun, Jupiter, Saturn, Uranus and Neptune, as the game starts them.
// The game's constants, digit for digit, though an f64 keeps only about 17 of them.
#[allow(clippy::excessive_precision)]
const BODIES: [Body; 5] = [
    Body {
        position: [0.0; 3],
        velocity: [0.0; 3],
        mass: SOLAR_MASS,
    },
    Body::planet(
        [4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01],
        [1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05],
        9.54791938424326609e-04,
    ),
    Body::planet(
        [8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01],
        [-2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05],
        2.85885980666130812e-04,
    ),
    Body::planet(
        [1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01],
        [2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05],
        4.36624404335156298e-05,
    ),
    Body::planet(
        [1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01],
        [2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05],
        5.15138902046611451e-05,
    ),
];

/// Gives the Sun the velocity that makes the system's total momentum zero.
fn offset_momentum(bodies: &mut [Body]) {
    let mut momentum = [0.0; 3];
    for body in bodies.iter() {
        for (total, v) in momentum.iter_mut().zip(body.velocity) {
            *total += v * body.mass;
        }
    }
    let sun = &mut bodies[0];
    for (v, total) in sun.velocity.iter_mut().zip(momentum) {
        *v = -total / SOLAR_MASS;
    }
}

/// The system's total energy: kinetic, minus the potential of every pair.
fn energy(bodies: &[Body]) -> f64 {
    let mut energy = 0.0;
    for (i, body) in bodies.iter().enumerate() {
        let speed2: f64 = body.velocity.iter().map(|v| v * v).sum();
        energy += 0.5 * body.mass * speed2;
        for other in &bodies[i + 1..] {
            let distance2: f64 = (0..3)
                .map(|k| (body.position[k] - other.position[k]).powi(2))
                .sum();
            energy -= body.mass * other.mass / distance2.sqrt();
        }
    }
    energy
}

/// Moves the system one time step forward.
fn advance(bodies: &mut [Body]) {
    for i in 0..bodies.len() {
        let (head, tail) = bodies.split_at_mut(i + 1);
        let body = &mut head[i];
        for other in tail {
            let d = [
                body.position[0] - other.position[0],
                body.position[1] - other.position[1],
                body.position[2] - other.position[2],
            ];
            let distance2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            let magnitude = DT / (distance2 * distance2.sqrt());
            for k in 0..3 {
                body.velocity[k] -= d[k] * other.mass * magnitude;
                other.velocity[k] += d[k] * body.mass * magnitude;
            }
        }
    }
    for body in bodies {
        for k in 0..3 {
            body.position[k] += DT * body.velocity[k];
        }
    }
}

fn main() -> ExitCode {
    let steps = match env::args().nth(1).map(|arg| arg.parse::<u64>()) {
        None => 1000,
        Some(Ok(steps)) => steps,
        Some(Err(_)) => {
            eprintln!("n-body: STEPS must be a whole number");
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
