// Command n-body is the Benchmarks Game's n-body: a simple symplectic integrator for the Jovian
// planets, in double-precision floating point, single-threaded.
//
// Usage: n-body [STEPS] (default 1000); prints the system's energy before and after.
package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
)

const (
	solarMass   = 4 * math.Pi * math.Pi
	daysPerYear = 365.24
	// dt is the time step of the integration.
	dt = 0.01
)

// body is a body's position, velocity and mass.
type body struct {
	x, y, z, vx, vy, vz, mass float64
}

// planet makes a planet from its position (AU), velocity (AU per day) and mass (solar masses).
func planet(x, y, z, vx, vy, vz, mass float64) body {
	return body{x, y, z, vx * daysPerYear, vy * daysPerYear, vz * daysPerYear, mass * solarMass}
}

// startingBodies are the Sun, Jupiter, Saturn, Uranus and Neptune, as the game starts them.
func startingBodies() []body {
	return []body{
		{mass: solarMass},
		planet(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
			1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
			9.54791938424326609e-04),
		planet(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
			-2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
			2.85885980666130812e-04),
		planet(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
			2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
			4.36624404335156298e-05),
		planet(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
			2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
			5.15138902046611451e-05),
	}
}

// offsetMomentum gives the Sun the velocity that makes the total momentum zero.
func offsetMomentum(bodies []body) {
	var px, py, pz float64
	for _, b := range bodies {
		px += b.vx * b.mass
		py += b.vy * b.mass
		pz += b.vz * b.mass
	}
	bodies[0].vx = -px / solarMass
	bodies[0].vy = -py / solarMass
	bodies[0].vz = -pz / solarMass
}

// energy is the system's total energy: kinetic, minus the potential of every pair.
func energy(bodies []body) float64 {
	e := 0.0
	for i, b := range bodies {
		e += 0.5 * b.mass * (b.vx*b.vx + b.vy*b.vy + b.vz*b.vz)
		for _, o := range bodies[i+1:] {
			dx, dy, dz := b.x-o.x, b.y-o.y, b.z-o.z
			e -= b.mass * o.mass / math.Sqrt(dx*dx+dy*dy+dz*dz)
		}
	}
	return e
}

// advance moves the system one time step forward.
func advance(bodies []body) {
	for i := range bodies {
		b := &bodies[i]
		for j := i + 1; j < len(bodies); j++ {
			o := &bodies[j]
			dx, dy, dz := b.x-o.x, b.y-o.y, b.z-o.z
			distance2 := dx*dx + dy*dy + dz*dz
			magnitude := dt / (distance2 * math.Sqrt(distance2))
			b.vx -= dx * o.mass * magnitude
			b.vy -= dy * o.mass * magnitude
			b.vz -= dz * o.mass * magnitude
			o.vx += dx * b.mass * magnitude
			o.vy += dy * b.mass * magnitude
			o.vz += dz * b.mass * magnitude
		}
	}
	for i := range bodies {
		b := &bodies[i]
		b.x += dt * b.vx
		b.y += dt * b.vy
		b.z += dt * b.vz
	}
}

func main() {
	steps := 1000
	if len(os.Args) > 1 {
		parsed, err := strconv.Atoi(os.Args[1])
		if err != nil || parsed < 0 {
			fmt.Fprintln(os.Stderr, "n-body: STEPS must be a whole number")
			os.Exit(1)
		}
		steps = parsed
	}
	bodies := startingBodies()
	offsetMomentum(bodies)
	fmt.Printf("%.9f\n", energy(bodies))
	for range steps {
		advance(bodies)
	}
	fmt.Printf("%.9f\n", energy(bodies))
}
