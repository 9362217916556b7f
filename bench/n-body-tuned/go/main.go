// Command n-body-tuned is the Benchmarks Game's n-body, single-threaded, tuned the way the game's
// fastest single-threaded entries are: the same integrator as ../../n-body/go, but
// the bodies are a fixed-size array (the compiler knows every index is in range), and the inner
// loop of a step keeps the outer body's position, velocity and mass in local variables, writing its
// velocity back once, after the loop, and the force on each pair is scaled once per body (pull,
// push) rather than once per coordinate. No assembly, no unsafe, no SIMD.
//
// Usage: n-body-tuned [STEPS] (default 1000); prints the system's energy before and after.
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
	// count is the number of bodies: the Sun and four planets.
	count = 5
)

// body is a body's position, velocity and mass.
type body struct {
	x, y, z, vx, vy, vz, mass float64
}

// system is every body of the simulation, in a fixed-size array.
type system [count]body

// planet makes a planet from its position (AU), velocity (AU per day) and mass (solar masses).
func planet(x, y, z, vx, vy, vz, mass float64) body {
	return body{x, y, z, vx * daysPerYear, vy * daysPerYear, vz * daysPerYear, mass * solarMass}
}

// startingSystem is the Sun, Jupiter, Saturn, Uranus and Neptune, as the game starts them.
func startingSystem() system {
	return system{
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
func (s *system) offsetMomentum() {
	var px, py, pz float64
	for i := range s {
		px += s[i].vx * s[i].mass
		py += s[i].vy * s[i].mass
		pz += s[i].vz * s[i].mass
	}
	s[0].vx = -px / solarMass
	s[0].vy = -py / solarMass
	s[0].vz = -pz / solarMass
}

// energy is the system's total energy: kinetic, minus the potential of every pair.
func (s *system) energy() float64 {
	e := 0.0
	for i := range s {
		b := &s[i]
		e += 0.5 * b.mass * (b.vx*b.vx + b.vy*b.vy + b.vz*b.vz)
		for j := i + 1; j < count; j++ {
			o := &s[j]
			dx, dy, dz := b.x-o.x, b.y-o.y, b.z-o.z
			e -= b.mass * o.mass / math.Sqrt(dx*dx+dy*dy+dz*dz)
		}
	}
	return e
}

// advance moves the system one time step forward.
func (s *system) advance() {
	for i := range count {
		b := &s[i]
		x, y, z, mass := b.x, b.y, b.z, b.mass
		vx, vy, vz := b.vx, b.vy, b.vz
		for j := i + 1; j < count; j++ {
			o := &s[j]
			dx, dy, dz := x-o.x, y-o.y, z-o.z
			distance2 := dx*dx + dy*dy + dz*dz
			magnitude := dt / (distance2 * math.Sqrt(distance2))
			pull, push := o.mass*magnitude, mass*magnitude
			vx -= dx * pull
			vy -= dy * pull
			vz -= dz * pull
			o.vx += dx * push
			o.vy += dy * push
			o.vz += dz * push
		}
		b.vx, b.vy, b.vz = vx, vy, vz
	}
	for i := range s {
		b := &s[i]
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
			fmt.Fprintln(os.Stderr, "n-body-tuned: STEPS must be a whole number")
			os.Exit(1)
		}
		steps = parsed
	}
	s := startingSystem()
	s.offsetMomentum()
	fmt.Printf("%.9f\n", s.energy())
	for range steps {
		s.advance()
	}
	fmt.Printf("%.9f\n", s.energy())
}
