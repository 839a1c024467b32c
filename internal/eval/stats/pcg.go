package stats

import (
	"encoding/binary"
	"math"
	"math/bits"
	"math/rand/v2"
)

// pcg is the state of a *rand.PCG, copied out so that a bootstrap draws
// from it without an interface call per number: uint64 and intN return
// what rand.PCG.Uint64 and rand.New(p).IntN return, in the same order, and
// store writes the advanced state back, so the stream goes on where the
// copy left it (TestPCGMatchesMathRand holds it to math/rand/v2).
type pcg struct{ hi, lo uint64 }

// loadPCG copies the state of p.
func loadPCG(p *rand.PCG) pcg {
	var buf [20]byte
	b, _ := p.AppendBinary(buf[:0]) // "pcg:", hi, lo big-endian
	return pcg{binary.BigEndian.Uint64(b[4:]), binary.BigEndian.Uint64(b[12:])}
}

// store sets the state of p to g's.
func (g *pcg) store(p *rand.PCG) {
	var buf [20]byte
	copy(buf[:], "pcg:")
	binary.BigEndian.PutUint64(buf[4:], g.hi)
	binary.BigEndian.PutUint64(buf[12:], g.lo)
	if err := p.UnmarshalBinary(buf[:]); err != nil {
		panic(err) // the encoding is the one AppendBinary writes
	}
}

// pcgStep is one step of rand.PCG from the state hi, lo: the next state
// (a 128-bit LCG step) and its DXSM output, rand.PCG.Uint64's number.
func pcgStep(hi, lo uint64) (nhi, nlo, out uint64) {
	const (
		mulHi = 2549297995355413924
		mulLo = 4865540595714422341
		incHi = 6364136223846793005
		incLo = 1442695040888963407
	)
	nhi, nlo = bits.Mul64(lo, mulLo)
	nhi += hi*mulLo + lo*mulHi
	nlo, c := bits.Add64(nlo, incLo, 0)
	nhi, _ = bits.Add64(nhi, incHi, c)
	const cheapMul = 0xda942042e4dd58b5
	out = nhi ^ nhi>>32
	out *= cheapMul
	out ^= out >> 48
	out *= nlo | 1
	return nhi, nlo, out
}

// uint64 is rand.PCG.Uint64.
func (g *pcg) uint64() uint64 {
	var x uint64
	g.hi, g.lo, x = pcgStep(g.hi, g.lo)
	return x
}

// intN is rand.Rand.IntN(n) on 64-bit platforms (and, math/rand/v2 says,
// on 32-bit ones) for n > 0: a mask for a power of two, else Lemire's
// multiply with rejection.
func (g *pcg) intN(n uint64) uint64 {
	if n&(n-1) == 0 {
		return g.uint64() & (n - 1)
	}
	hi, lo := bits.Mul64(g.uint64(), n)
	if lo < n {
		hi = g.reject(n, lo, hi)
	}
	return hi
}

// reject finishes intN(n) when the first multiply's low half, lo, fell
// below n (a chance of n in 2⁶⁴): while it is below 2⁶⁴ mod n, draw again.
func (g *pcg) reject(n, lo, hi uint64) uint64 {
	thresh := -n % n
	for lo < thresh {
		hi, lo = bits.Mul64(g.uint64(), n)
	}
	return hi
}

// BootstrapCIPCG returns a percentile bootstrap confidence interval for
// the mean of xs: nSamples resamples with replacement, their indices drawn
// from src as rand.New(src).IntN would draw them, and the
// (1-confidence)/2 and (1+confidence)/2 percentiles of their means
// (confidence is a fraction such as 0.95). It returns NaN, NaN for empty
// xs; nSamples < 1 means DefaultSamples. src is left where those draws
// leave it. The tests hold it, bit for bit, to the same bootstrap drawn
// through a *rand.Rand (BootstrapCI in stats_test.go); drawing from the
// PCG itself saves an interface call per draw and the index slice.
func BootstrapCIPCG(xs []float64, nSamples int, confidence float64, src *rand.PCG) (lo, hi float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	if nSamples < 1 {
		nSamples = DefaultSamples
	}
	g := loadPCG(src)
	n := uint64(len(xs))
	means := make([]float64, nSamples)
	if n&(n-1) == 0 {
		for s := range means {
			var sum float64
			for range n {
				sum += xs[g.intN(n)]
			}
			means[s] = sum / float64(n)
		}
	} else {
		// intN inlined: the state stays in registers.
		hi, lo := g.hi, g.lo
		for s := range means {
			var sum float64
			for range n {
				var x uint64
				hi, lo, x = pcgStep(hi, lo)
				k, rest := bits.Mul64(x, n)
				if rest < n {
					g.hi, g.lo = hi, lo
					k = g.reject(n, rest, k)
					hi, lo = g.hi, g.lo
				}
				sum += xs[k]
			}
			means[s] = sum / float64(n)
		}
		g.hi, g.lo = hi, lo
	}
	g.store(src)
	return Interval(means, confidence)
}
