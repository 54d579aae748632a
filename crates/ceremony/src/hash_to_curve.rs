//! snarkjs-compatible deterministic sampling (ffjavascript's `ChaCha` and
//! `fromRng`): `hashToG2` for contribution transcripts and the beacon's key
//! derivation. Bit-exact with snarkjs 0.7 (docs/spec/ceremony.md §"hashToG2").
//!
//! - ChaCha20 block function, key = 8 big-endian words, counter words 12–15 from 0,
//!   output words in order; `next_u64` takes the **first** word as the high half.
//! - A field sample is four `next_u64` limbs (little-endian limb order) masked to
//!   254 bits, rejected if `≥ modulus`, and taken as the **Montgomery** form.
//! - A point sample draws `x`, then one bit `greatest`, until `x³ + b` is a
//!   square; `y` is the root whose "greatest" flag equals the bit; G2 points are
//!   multiplied by the literal G2 cofactor.

use ark_bn254::{g2, Fq, Fq2, Fr, G1Affine, G2Affine, G2Projective};
use ark_ec::{short_weierstrass::SWCurveConfig, AffineRepr, CurveConfig, CurveGroup, PrimeGroup};
use ark_ff::{BigInt, Field, PrimeField, Zero};
use sha2::{Digest, Sha256};

/// ffjavascript's ChaCha20 random generator.
pub struct FfjsChaCha {
    state: [u32; 16],
    buf: [u32; 16],
    idx: usize,
}

fn quarter(st: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    st[a] = st[a].wrapping_add(st[b]);
    st[d] = (st[d] ^ st[a]).rotate_left(16);
    st[c] = st[c].wrapping_add(st[d]);
    st[b] = (st[b] ^ st[c]).rotate_left(12);
    st[a] = st[a].wrapping_add(st[b]);
    st[d] = (st[d] ^ st[a]).rotate_left(8);
    st[c] = st[c].wrapping_add(st[d]);
    st[b] = (st[b] ^ st[c]).rotate_left(7);
}

impl FfjsChaCha {
    /// A generator keyed by 8 words.
    pub fn new(seed: [u32; 8]) -> Self {
        let mut state = [0u32; 16];
        state[..4].copy_from_slice(&[0x6170_7865, 0x3320_646E, 0x7962_2D32, 0x6B20_6574]);
        state[4..12].copy_from_slice(&seed);
        Self { state, buf: [0; 16], idx: 16 }
    }

    /// A generator keyed by 32 bytes, read as 8 big-endian words.
    pub fn from_hash(hash: &[u8; 32]) -> Self {
        let mut seed = [0u32; 8];
        for (i, w) in seed.iter_mut().enumerate() {
            *w = u32::from_be_bytes([hash[4 * i], hash[4 * i + 1], hash[4 * i + 2], hash[4 * i + 3]]);
        }
        Self::new(seed)
    }

    fn refill(&mut self) {
        let mut b = self.state;
        for _ in 0..10 {
            quarter(&mut b, 0, 4, 8, 12);
            quarter(&mut b, 1, 5, 9, 13);
            quarter(&mut b, 2, 6, 10, 14);
            quarter(&mut b, 3, 7, 11, 15);
            quarter(&mut b, 0, 5, 10, 15);
            quarter(&mut b, 1, 6, 11, 12);
            quarter(&mut b, 2, 7, 8, 13);
            quarter(&mut b, 3, 4, 9, 14);
        }
        for (o, s) in b.iter_mut().zip(self.state.iter()) {
            *o = o.wrapping_add(*s);
        }
        self.buf = b;
        self.idx = 0;
        for i in 12..16 {
            self.state[i] = self.state[i].wrapping_add(1);
            if self.state[i] != 0 {
                break;
            }
        }
    }

    /// The next word.
    pub fn next_u32(&mut self) -> u32 {
        if self.idx == 16 {
            self.refill();
        }
        let w = self.buf[self.idx];
        self.idx += 1;
        w
    }

    /// Two words, the first one high.
    pub fn next_u64(&mut self) -> u64 {
        let hi = u64::from(self.next_u32());
        let lo = u64::from(self.next_u32());
        (hi << 32) | lo
    }

    fn next_bool(&mut self) -> bool {
        self.next_u32() & 1 == 1
    }

    fn sample_bigint<const N: usize>(&mut self, modulus: &BigInt<N>) -> BigInt<N> {
        loop {
            let mut limbs = [0u64; N];
            for l in limbs.iter_mut() {
                *l = self.next_u64();
            }
            limbs[N - 1] &= (1u64 << 62) - 1; // 254-bit mask (q and r both have 254 bits)
            let v = BigInt::new(limbs);
            if v < *modulus {
                return v;
            }
        }
    }

    /// ffjavascript `Fq.fromRng`: the sample is the Montgomery form.
    pub fn sample_fq(&mut self) -> Fq {
        Fq::new_unchecked(self.sample_bigint(&Fq::MODULUS))
    }

    /// ffjavascript `Fr.fromRng`: the sample is the Montgomery form.
    pub fn sample_fr(&mut self) -> Fr {
        Fr::new_unchecked(self.sample_bigint(&Fr::MODULUS))
    }
}

fn fq_greatest(x: &Fq) -> bool {
    *x > -*x
}

fn fq2_greatest(x: &Fq2) -> bool {
    if !x.c1.is_zero() {
        fq_greatest(&x.c1)
    } else {
        fq_greatest(&x.c0)
    }
}

/// ffjavascript `G1.fromRng`.
pub fn g1_from_rng(rng: &mut FfjsChaCha) -> G1Affine {
    loop {
        let x = rng.sample_fq();
        let greatest = rng.next_bool();
        let rhs = x.square() * x + ark_bn254::g1::Config::COEFF_B;
        if let Some(mut y) = rhs.sqrt() {
            if greatest ^ fq_greatest(&y) {
                y = -y;
            }
            return G1Affine::new_unchecked(x, y);
        }
    }
}

/// ffjavascript `G2.fromRng`, including the multiplication by the G2 cofactor.
pub fn g2_from_rng(rng: &mut FfjsChaCha) -> G2Affine {
    loop {
        let x = Fq2::new(rng.sample_fq(), rng.sample_fq());
        let greatest = rng.next_bool();
        let rhs = x.square() * x + g2::Config::COEFF_B;
        if let Some(mut y) = rhs.sqrt() {
            if greatest ^ fq2_greatest(&y) {
                y = -y;
            }
            let p = G2Projective::from(G2Affine::new_unchecked(x, y));
            return p.mul_bigint(g2::Config::COFACTOR).into_affine();
        }
    }
}

/// snarkjs `hashToG2`: ChaCha keyed by the first 32 bytes of a 64-byte
/// transcript hash, then [`g2_from_rng`].
pub fn hash_to_g2(hash: &[u8; 64]) -> G2Affine {
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&hash[..32]);
    g2_from_rng(&mut FfjsChaCha::from_hash(&seed))
}

/// The beacon generator: SHA-256 iterated `2^num_iterations_exp` times on
/// `beacon_hash`, as ChaCha key (snarkjs `rngFromBeaconParams`).
pub fn beacon_rng(beacon_hash: &[u8], num_iterations_exp: u8) -> FfjsChaCha {
    let mut h: [u8; 32] = Sha256::digest(beacon_hash).into();
    let n: u64 = 1u64 << num_iterations_exp;
    for _ in 1..n {
        h = Sha256::digest(h).into();
    }
    FfjsChaCha::from_hash(&h)
}

/// The beacon's secret and public key `(x, s, x·s)`, as snarkjs derives them.
pub fn beacon_keys(beacon_hash: &[u8], num_iterations_exp: u8) -> (Fr, G1Affine, G1Affine) {
    let mut rng = beacon_rng(beacon_hash, num_iterations_exp);
    let x = rng.sample_fr();
    let s = g1_from_rng(&mut rng);
    let sx = (s.into_group() * x).into_affine();
    (x, s, sx)
}

/// `G2::generator()`, re-exported for checks.
pub fn g2_generator() -> G2Affine {
    G2Projective::generator().into_affine()
}
