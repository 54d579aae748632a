// Deterministic generator of known-answer test vectors for psephos.
//
// Every expected value in the JSON files written by this script is computed by
// an independent JavaScript reference implementation (circomlibjs, the
// Semaphore v4 npm packages and their @zk-kit dependencies). Several values are
// additionally cross-checked against a second implementation inside this script
// (see the `check(...)` calls); any disagreement aborts the run before a single
// file is written.
//
// Determinism: no Math.random, no clock, no environment-dependent data. All
// pseudo-random values are SHA-256("psephos-test-vectors/<label>/<counter>"),
// read as a big-endian integer and reduced as needed. Running the script twice
// produces byte-identical files.
//
// Usage: node generate.mjs   (or ./regenerate.sh from a clean checkout)

import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { register } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { buildBabyjub, buildEddsa, buildPoseidon } from "circomlibjs";
import { Identity } from "@semaphore-protocol/identity";
import { Group } from "@semaphore-protocol/group";
import { LeanIMT } from "@zk-kit/lean-imt";
import * as zkBabyJub from "@zk-kit/baby-jubjub";
import { poseidon1, poseidon2, poseidon3, poseidon4, poseidon5, poseidon6, poseidon7, poseidon8,
    poseidon9, poseidon10, poseidon11, poseidon12, poseidon13, poseidon14, poseidon15, poseidon16 } from "poseidon-lite";
import { keccak256 } from "ethers/crypto";
import { toBeHex } from "ethers/utils";
import createBlakeHash from "blake-hash";

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT_DIR = resolve(HERE, "..");
const GENERATOR = "test-vectors/generator/generate.mjs";

// ---------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------

/** BN254 scalar field modulus r (= Baby Jubjub base field modulus p). */
const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
/** Baby Jubjub prime subgroup order l. */
const L = 2736030358979909402780800718157159386076813972158567259200215660948447373041n;
const TWO_256 = 1n << 256n;

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function check(cond, what) {
    if (!cond) throw new Error(`self-check failed: ${what}`);
}

const dec = (v) => {
    const b = BigInt(v);
    if (b < 0n) throw new Error(`negative value ${b}`);
    return b.toString(10);
};

const hex = (bytes) => Buffer.from(bytes).toString("hex");

/** 32 pseudo-random bytes: SHA-256 of a fixed label and counter. */
function prngBytes32(label, counter) {
    return createHash("sha256").update(`psephos-test-vectors/${label}/${counter}`, "utf8").digest();
}

/** Pseudo-random byte string of arbitrary length (concatenated SHA-256 blocks). */
function prngBytes(label, counter, length) {
    const chunks = [];
    for (let i = 0; chunks.length * 32 < length; i++) chunks.push(prngBytes32(`${label}/${counter}`, i));
    return Buffer.concat(chunks).subarray(0, length);
}

/** Pseudo-random 256-bit integer. */
const prngU256 = (label, counter) => BigInt(`0x${hex(prngBytes32(label, counter))}`);

/** Pseudo-random integer in [lo, hi). (Modulo bias is irrelevant here.) */
const prngRange = (label, counter, lo, hi) => lo + (prngU256(label, counter) % (hi - lo));

/** Big-endian 32-byte encoding of v as lowercase hex. */
const be32hex = (v) => v.toString(16).padStart(64, "0");

/** Little-endian 32-byte encoding of v (v < 2^256). */
function le32(v) {
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) {
        out[i] = Number(v & 0xffn);
        v >>= 8n;
    }
    return out;
}

function leToBigInt(bytes) {
    let v = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
    return v;
}

/** Version of `name` as node would resolve it when imported from directory `fromDir`. */
function resolvedVersion(name, fromDir = HERE) {
    let dir = fromDir;
    for (;;) {
        const candidate = join(dir, "node_modules", name, "package.json");
        if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, "utf8")).version;
        const parent = dirname(dir);
        if (parent === dir) throw new Error(`cannot resolve ${name} from ${fromDir}`);
        dir = parent;
    }
}

const pkgDir = (name, fromDir = HERE) => {
    let dir = fromDir;
    for (;;) {
        const candidate = join(dir, "node_modules", name);
        if (existsSync(join(candidate, "package.json"))) return candidate;
        const parent = dirname(dir);
        if (parent === dir) throw new Error(`cannot resolve ${name} from ${fromDir}`);
        dir = parent;
    }
};

// Versions of every package whose code produces or checks a vector, resolved
// exactly the way node resolves them for the package that uses them.
const V = {};
{
    const top = (n) => (V[n] = resolvedVersion(n));
    top("circomlibjs");
    top("@semaphore-protocol/identity");
    top("@semaphore-protocol/group");
    top("@semaphore-protocol/utils");
    top("@semaphore-protocol/proof");
    top("@zk-kit/lean-imt");
    top("@zk-kit/baby-jubjub");
    top("poseidon-lite");
    top("ethers");
    top("blake-hash");
    const circomlibjsDir = pkgDir("circomlibjs");
    const identityDir = pkgDir("@semaphore-protocol/identity");
    const groupDir = pkgDir("@semaphore-protocol/group");
    const proofDir = pkgDir("@semaphore-protocol/proof");
    V.ffjavascript = resolvedVersion("ffjavascript", circomlibjsDir);
    V["@zk-kit/eddsa-poseidon"] = resolvedVersion("@zk-kit/eddsa-poseidon", identityDir);
    V["@zk-kit/utils"] = resolvedVersion("@zk-kit/utils", proofDir); // requireTypes() in generateProof
    // The copies used by the Semaphore packages must be the ones imported above.
    check(resolvedVersion("@zk-kit/lean-imt", groupDir) === V["@zk-kit/lean-imt"], "group uses top-level lean-imt");
    check(resolvedVersion("poseidon-lite", groupDir) === V["poseidon-lite"], "group uses top-level poseidon-lite");
    check(resolvedVersion("poseidon-lite", identityDir) === V["poseidon-lite"], "identity uses top-level poseidon-lite");
    check(
        resolvedVersion("@zk-kit/baby-jubjub", pkgDir("@zk-kit/eddsa-poseidon", identityDir)) === V["@zk-kit/baby-jubjub"],
        "eddsa-poseidon uses top-level baby-jubjub"
    );
    check(resolvedVersion("ethers", proofDir) === V.ethers, "proof uses top-level ethers");
    check(resolvedVersion("blake-hash", circomlibjsDir) === V["blake-hash"], "circomlibjs uses top-level blake-hash");
}

const ref = (...names) => Object.fromEntries(names.map((n) => [n, V[n]]));

// ---------------------------------------------------------------------------
// Vector file builder (Wycheproof style)
// ---------------------------------------------------------------------------

class VectorFile {
    constructor(fileName, algorithm, reference, notes) {
        this.fileName = fileName;
        this.doc = { algorithm, generator: GENERATOR, reference, notes, numberOfTests: 0, testGroups: [] };
        this.nextId = 1;
        this.usedFlags = new Set();
    }

    group(type, params = {}) {
        const g = { type, ...params, tests: [] };
        this.doc.testGroups.push(g);
        return {
            add: (comment, fields, result = "valid", flags = []) => {
                check(["valid", "invalid", "acceptable"].includes(result), `result value ${result}`);
                for (const f of flags) this.usedFlags.add(f);
                g.tests.push({ tcId: this.nextId++, comment, ...fields, result, flags });
            }
        };
    }

    render() {
        for (const f of this.usedFlags) check(f in this.doc.notes, `${this.fileName}: flag ${f} documented in notes`);
        for (const f of Object.keys(this.doc.notes)) check(this.usedFlags.has(f), `${this.fileName}: note ${f} used`);
        this.doc.testGroups = this.doc.testGroups.filter((g) => g.tests.length > 0);
        this.doc.numberOfTests = this.nextId - 1;
        // Invisible / separator code points (they occur only inside strings) are written as \uXXXX escapes so that the
        // files stay readable and diffable; this does not change the parsed values.
        const text = JSON.stringify(this.doc, null, 2).replace(
            /[\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/g,
            (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
        );
        check(JSON.stringify(JSON.parse(text)) === JSON.stringify(this.doc), `${this.fileName}: escaping is lossless`);
        return `${text}\n`;
    }
}

// ---------------------------------------------------------------------------
// Reference instances
// ---------------------------------------------------------------------------

const poseidon = await buildPoseidon();
const babyJub = await buildBabyjub();
const eddsa = await buildEddsa();
const F = babyJub.F;

const poseidonLite = [null, poseidon1, poseidon2, poseidon3, poseidon4, poseidon5, poseidon6, poseidon7, poseidon8,
    poseidon9, poseidon10, poseidon11, poseidon12, poseidon13, poseidon14, poseidon15, poseidon16];

/** Poseidon via circomlibjs (the primary reference), cross-checked with poseidon-lite. */
function poseidonHash(inputs) {
    for (const x of inputs) check(x >= 0n && x < R, "poseidon input in field");
    const out = poseidon.F.toObject(poseidon(inputs));
    check(out === poseidonLite[inputs.length](inputs), `circomlibjs == poseidon-lite for arity ${inputs.length}`);
    return out;
}

/** circomlibjs point (Montgomery-form field elements) -> [bigint, bigint]. */
const toBig = (P) => [F.toObject(P[0]), F.toObject(P[1])];
/** [bigint, bigint] -> circomlibjs point. */
const toF = (P) => [F.e(P[0]), F.e(P[1])];
const pt = (P) => ({ x: dec(P[0]), y: dec(P[1]) });
const eqP = (a, b) => a[0] === b[0] && a[1] === b[1];

const BASE8 = toBig(babyJub.Base8);
const GEN = toBig(babyJub.Generator);
const IDENTITY = [0n, 1n];

const mulBase8 = (k) => toBig(babyJub.mulPointEscalar(babyJub.Base8, k));
const mul = (P, k) => toBig(babyJub.mulPointEscalar(toF(P), k));
const add = (P, Q) => {
    const s = toBig(babyJub.addPoint(toF(P), toF(Q)));
    check(eqP(s, zkBabyJub.addPoint(P, Q)), "circomlibjs addPoint == zk-kit addPoint");
    return s;
};
const neg = (P) => [(R - P[0]) % R, P[1]];
const onCurve = (P) => babyJub.inCurve(toF(P));
const inSubgroup = (P) => babyJub.inSubgroup(toF(P));

// ---------------------------------------------------------------------------
// 1. poseidon.json
// ---------------------------------------------------------------------------

function genPoseidon() {
    const file = new VectorFile("poseidon.json", "poseidon-bn254-circomlib", ref("circomlibjs", "ffjavascript", "poseidon-lite"), {
        NotInField:
            "At least one input is >= r (the BN254 scalar field modulus). A conforming implementation must reject the input " +
            "instead of silently reducing it modulo r. (circomlibjs and poseidon-lite both reduce silently; see the test comments.)"
    });
    // Known answer from the circomlib / iden3 test-suites: Poseidon([1, 2]).
    check(
        poseidonHash([1n, 2n]) === 7853200120776062878684798364095072458815029376092732009249414926327459813530n,
        "Poseidon([1,2]) known answer"
    );

    for (let n = 1; n <= 16; n++) {
        const g = file.group("PoseidonHash", { arity: n });
        const emit = (comment, inputs) => g.add(comment, { inputs: inputs.map(dec), output: dec(poseidonHash(inputs)) });
        emit("all zeros", Array(n).fill(0n));
        emit(`inputs 1..${n}`, Array.from({ length: n }, (_, i) => BigInt(i + 1)));
        emit("all inputs r-1", Array(n).fill(R - 1n));
        if (n > 1) emit("last input r-1, others 0", Array.from({ length: n }, (_, i) => (i === n - 1 ? R - 1n : 0n)));
        for (let c = 0; c < 3; c++) {
            emit(`pseudo-random inputs #${c + 1}`, Array.from({ length: n }, (_, i) => prngRange(`poseidon/${n}/${c}`, i, 0n, R)));
        }
    }

    const inv = file.group("PoseidonHashInvalid");
    const emitInvalid = (comment, inputs) => {
        const reduced = inputs.map((x) => x % R);
        const circomlib = poseidon.F.toObject(poseidon(inputs));
        const lite = poseidonLite[inputs.length](inputs);
        check(circomlib === poseidonHash(reduced), "circomlibjs reduces out-of-field inputs");
        check(lite === circomlib, "poseidon-lite reduces out-of-field inputs");
        inv.add(
            `${comment}; circomlibjs and poseidon-lite silently reduce the input mod r and would return ${circomlib}`,
            { inputs: inputs.map(dec) },
            "invalid",
            ["NotInField"]
        );
    };
    emitInvalid("arity 1, input = r", [R]);
    emitInvalid("arity 1, input = r+1", [R + 1n]);
    emitInvalid("arity 1, input = 2^256-1", [TWO_256 - 1n]);
    emitInvalid("arity 2, first input = r", [R, 1n]);
    emitInvalid("arity 2, second input = r+1", [1n, R + 1n]);
    emitInvalid("arity 2, second input = 2^256-1", [0n, TWO_256 - 1n]);
    emitInvalid("arity 3, middle input = r", [1n, R, 3n]);
    emitInvalid("arity 16, last input = r", [...Array.from({ length: 15 }, (_, i) => BigInt(i + 1)), R]);
    emitInvalid("arity 16, first input = 2^256-1", [TWO_256 - 1n, ...Array(15).fill(0n)]);
    return file;
}

// ---------------------------------------------------------------------------
// 2. babyjubjub.json
// ---------------------------------------------------------------------------

function genBabyJubjub() {
    const file = new VectorFile("babyjubjub.json", "babyjubjub-eip2494", ref("circomlibjs", "ffjavascript", "@zk-kit/baby-jubjub"), {
        IdentityPoint: "The point is the neutral element (0, 1).",
        IdentityResult: "The expected result is the neutral element (0, 1).",
        ScalarNotReduced:
            "The scalar is >= l; mulPointEscalar accepts any non-negative integer and the result equals (scalar mod l)·Base8.",
        SmallOrderPoint: "An input is one of the 8 torsion points (order 1, 2, 4 or 8).",
        SignBitSet: "The x coordinate is 'negative' (x > (p-1)/2), so the top bit of the packed encoding is set.",
        XIsZero:
            "The point has x = 0 ((0, 1) or (0, p-1)). It packs normally and @zk-kit/baby-jubjub unpacks it, but circomlibjs " +
            "0.1.7 unpackPoint returns null for it (its Euler-criterion check F.exp(x2, half) == 1 fails for x2 = 0). " +
            "The expected (EIP-2494 / RFC 8032 style) behaviour is a successful round trip.",
        NonCanonical:
            "An encoding or coordinate is not canonical: a y (or x) coordinate >= p, or x = 0 with the sign bit set. " +
            "Must be rejected. Note that circomlibjs and/or @zk-kit/baby-jubjub accept some of these (see the test comments).",
        NotOnCurve: "The point (or the x recovered from y) does not lie on the curve: x^2 has no square root / equation fails.",
        NotInSubgroup: "The point lies on the curve but not in the prime-order subgroup generated by Base8."
    });

    // --- Constants
    const A = F.toObject(babyJub.A);
    const D = F.toObject(babyJub.D);
    check(A === 168700n && D === 168696n, "curve a, d");
    check(babyJub.subOrder === L && babyJub.order === 8n * L, "orders");
    check(eqP(BASE8, mul(GEN, 8n)), "Base8 = 8·Generator");
    check(eqP(BASE8, zkBabyJub.Base8), "Base8 equals @zk-kit/baby-jubjub Base8");
    check(zkBabyJub.subOrder === L && zkBabyJub.order === 8n * L, "zk-kit orders");
    file.group("Constants").add("EIP-2494 curve constants as defined by circomlibjs babyJub", {
        base8: pt(BASE8),
        generator: pt(GEN),
        order: dec(babyJub.order),
        subOrder: dec(babyJub.subOrder),
        a: dec(A),
        d: dec(D)
    });

    // --- ScalarMulBase8
    {
        const g = file.group("ScalarMulBase8");
        const emit = (comment, k, flags = []) => {
            const P = mulBase8(k);
            check(eqP(P, zkBabyJub.mulPointEscalar(zkBabyJub.Base8, k)), "circomlibjs == zk-kit mulPointEscalar");
            check(eqP(P, mulBase8(k % L)), "k·Base8 == (k mod l)·Base8");
            check(onCurve(P) && inSubgroup(P), "k·Base8 in subgroup");
            g.add(comment, { scalar: dec(k), point: pt(P) }, "valid", flags);
        };
        emit("scalar 0", 0n, ["IdentityResult"]);
        emit("scalar 1", 1n);
        emit("scalar 2", 2n);
        emit("scalar 3", 3n);
        emit("scalar l-1 (= -Base8)", L - 1n);
        emit("scalar l", L, ["IdentityResult", "ScalarNotReduced"]);
        emit("scalar l+1", L + 1n, ["ScalarNotReduced"]);
        for (let i = 0; i < 6; i++) emit(`pseudo-random scalar < l #${i + 1}`, prngRange("bjj/scalar", i, 1n, L));
        for (let i = 0; i < 2; i++) {
            emit(`pseudo-random scalar in [l, 2^253) #${i + 1}`, prngRange("bjj/scalar-big", i, L, 1n << 253n), ["ScalarNotReduced"]);
        }
        check(eqP(mulBase8(L - 1n), neg(BASE8)), "(l-1)·Base8 = -Base8");
    }

    // --- torsion points (computed once, used below)
    const lG = mul(GEN, L); // order 8
    const torsion = Array.from({ length: 8 }, (_, i) => mul(lG, BigInt(i))); // torsion[i] = i·(l·G)
    const orderOf = (i) => [1, 8, 4, 8, 2, 8, 4, 8][i];
    check(eqP(torsion[0], IDENTITY), "0·lG = identity");
    check(eqP(torsion[4], [0n, R - 1n]), "order-2 point is (0, p-1)");
    {
        // order-4 points are (±sqrt(1/a), 0)
        const x2 = F.toObject(F.inv(F.e(168700n)));
        for (const i of [2, 6]) {
            check(torsion[i][1] === 0n && (torsion[i][0] * torsion[i][0]) % R === x2, "order-4 point = (±sqrt(1/a), 0)");
        }
        check(torsion[2][0] === R - torsion[6][0], "order-4 points are negatives");
    }
    for (let i = 0; i < 8; i++) {
        check(onCurve(torsion[i]), "torsion on curve");
        check(eqP(mul(torsion[i], BigInt(orderOf(i))), IDENTITY), "torsion order annihilates");
        if (orderOf(i) > 1) check(!eqP(mul(torsion[i], BigInt(orderOf(i) / 2)), IDENTITY), "torsion exact order");
    }

    // --- PointAdd
    {
        const g = file.group("PointAdd");
        const emit = (comment, P, Q, flags = []) => {
            const S = add(P, Q);
            check(eqP(S, add(Q, P)), "addition commutes");
            g.add(comment, { p: pt(P), q: pt(Q), sum: pt(S) }, "valid", flags);
            return S;
        };
        const B2 = mulBase8(2n);
        const B3 = mulBase8(3n);
        check(eqP(emit("Base8 + Base8 (doubling)", BASE8, BASE8), B2), "B+B = 2B");
        check(eqP(emit("Base8 + 2·Base8", BASE8, B2), B3), "B+2B = 3B");
        emit("identity + Base8", IDENTITY, BASE8, ["IdentityPoint"]);
        emit("Base8 + identity", BASE8, IDENTITY, ["IdentityPoint"]);
        emit("identity + identity", IDENTITY, IDENTITY, ["IdentityPoint", "IdentityResult"]);
        check(eqP(emit("Base8 + (-Base8)", BASE8, neg(BASE8), ["IdentityResult"]), IDENTITY), "P + -P");
        for (let i = 0; i < 3; i++) {
            const a = prngRange("bjj/add-a", i, 1n, L);
            const b = prngRange("bjj/add-b", i, 1n, L);
            const S = emit(`pseudo-random multiples a·Base8 + b·Base8 #${i + 1}`, mulBase8(a), mulBase8(b));
            check(eqP(S, mulBase8((a + b) % L)), "aB + bB = (a+b)B");
        }
        {
            const a = prngRange("bjj/add-neg", 0, 1n, L);
            emit("random P + (-P)", mulBase8(a), neg(mulBase8(a)), ["IdentityResult"]);
        }
        emit("Generator + Generator (full-order point)", GEN, GEN);
        emit("Base8 + order-2 point (0, p-1)", BASE8, torsion[4], ["SmallOrderPoint"]);
        emit("Base8 + order-4 point", BASE8, torsion[2], ["SmallOrderPoint"]);
        emit("Base8 + order-8 point", BASE8, torsion[1], ["SmallOrderPoint"]);
        emit("order-4 point + order-4 point (= order-2 point)", torsion[2], torsion[2], ["SmallOrderPoint"]);
        emit("order-2 point + order-2 point", torsion[4], torsion[4], ["SmallOrderPoint", "IdentityResult"]);
    }

    // --- PackUnpack
    {
        const g = file.group("PackUnpack");
        const emit = (comment, P, flags = []) => {
            check(onCurve(P), "pack input on curve");
            const packed = babyJub.packPoint(toF(P));
            check(leToBigInt(packed) === zkBabyJub.packPoint(P), "circomlibjs packPoint == zk-kit packPoint");
            const signSet = (packed[31] & 0x80) !== 0;
            check(signSet === P[0] > (R - 1n) / 2n, "sign bit <=> x > (p-1)/2");
            const xZero = P[0] === 0n;
            const zkU = zkBabyJub.unpackPoint(leToBigInt(packed));
            check(zkU !== null && eqP(zkU, P), "zk-kit unpack round trip");
            const cU = babyJub.unpackPoint(new Uint8Array(packed));
            if (xZero) {
                check(cU === null, "circomlibjs unpackPoint returns null for x = 0");
            } else {
                check(cU !== null && eqP(toBig(cU), P), "circomlibjs unpack round trip");
            }
            const f = [...flags];
            if (signSet) f.push("SignBitSet");
            if (xZero) f.push("XIsZero");
            g.add(comment, { point: pt(P), packed: hex(packed) }, "valid", f);
        };
        emit("Base8", BASE8);
        emit("-Base8", neg(BASE8));
        emit("Generator", GEN);
        emit("-Generator", neg(GEN));
        for (let k = 2n; k <= 5n; k++) emit(`${k}·Base8`, mulBase8(k));
        for (let i = 0; i < 6; i++) emit(`pseudo-random multiple of Base8 #${i + 1}`, mulBase8(prngRange("bjj/pack", i, 1n, L)));
        emit("identity (0, 1)", IDENTITY, ["IdentityPoint"]);
        emit("order-2 point (0, p-1)", torsion[4], ["SmallOrderPoint"]);
        emit("order-4 point", torsion[2], ["SmallOrderPoint"]);
        emit("order-4 point (the other one)", torsion[6], ["SmallOrderPoint"]);
        emit("order-8 point", torsion[1], ["SmallOrderPoint"]);

        // Invalid encodings: only `packed` is given; decoding must fail.
        const describe = (v) => {
            const c = babyJub.unpackPoint(le32(v));
            const z = zkBabyJub.unpackPoint(v);
            const cs = c === null ? "returns null" : `ACCEPTS it as (${toBig(c).join(", ")})`;
            const zs = z === null ? "returns null" : `ACCEPTS it as (${z.join(", ")})`;
            return { text: `circomlibjs unpackPoint ${cs}; @zk-kit/baby-jubjub unpackPoint ${zs}`, c, z };
        };
        const SIGN = 1n << 255n;
        const bad = (comment, v, flag) => {
            check(v < TWO_256, "encoding fits in 32 bytes");
            const d = describe(v);
            g.add(`${comment}; ${d.text}`, { packed: hex(le32(v)) }, "invalid", [flag]);
            return d;
        };
        {
            const d = bad("y = p (non-canonical encoding of y = 0), sign 0", R, "NonCanonical");
            check(d.c !== null, "circomlibjs accepts y = p (documented quirk)");
        }
        bad("y = p, sign 1", R | SIGN, "NonCanonical");
        {
            // y = p + 3: y = 3 is a valid y coordinate, so only canonicity rejects this.
            check(babyJub.unpackPoint(le32(3n)) !== null, "y = 3 decodes");
            const d = bad("y = p + 3 (non-canonical encoding of the valid y = 3), sign 0", R + 3n, "NonCanonical");
            check(d.c !== null, "circomlibjs accepts y = p + 3 (documented quirk)");
        }
        bad("y = p + 3, sign 1", (R + 3n) | SIGN, "NonCanonical");
        {
            const y = BASE8[1] + R;
            check(y < SIGN, "Base8.y + p < 2^255");
            bad("y = Base8.y + p (non-canonical encoding of Base8), sign 0", y, "NonCanonical");
        }
        bad("y = 2^255 - 1 (all 255 low bits set), sign 0", SIGN - 1n, "NonCanonical");
        bad("all 32 bytes 0xff (y = 2^255 - 1, sign 1)", TWO_256 - 1n, "NonCanonical");
        bad("y = 1 (identity) with sign bit set: x = 0 cannot be negative", 1n | SIGN, "NonCanonical");
        bad("y = p-1 (order-2 point) with sign bit set: x = 0 cannot be negative", (R - 1n) | SIGN, "NonCanonical");
        {
            const d = bad("y = 2: (1 - y^2)/(a - d·y^2) is not a square", 2n, "NotOnCurve");
            check(d.c === null && d.z === null, "y = 2 rejected by both");
        }
        bad("y = 2, sign 1: (1 - y^2)/(a - d·y^2) is not a square", 2n | SIGN, "NotOnCurve");
        let found = 0;
        for (let i = 0; found < 3; i++) {
            const y = prngRange("bjj/unpack-nonsquare", i, 0n, R);
            if (babyJub.unpackPoint(le32(y)) !== null) continue;
            const sign = found === 1 ? SIGN : 0n;
            const d = bad(`pseudo-random y with no x on the curve #${found + 1}, sign ${sign ? 1 : 0}`, y | sign, "NotOnCurve");
            check(d.c === null && d.z === null, "non-square y rejected by both");
            found++;
        }
    }

    // --- SubgroupCheck
    {
        const g = file.group("SubgroupCheck");
        const emit = (comment, P, result, flags, fields = {}) => {
            const oc = onCurve(P);
            const sg = inSubgroup(P);
            check(oc === zkBabyJub.inCurve(P), "circomlibjs inCurve == zk-kit inCurve");
            const canonical = P[0] < R && P[1] < R;
            const expectValid = oc && sg && !eqP(P, IDENTITY) && canonical;
            check((result === "valid") === expectValid, `SubgroupCheck result for ${comment}`);
            g.add(comment, { point: pt(P), ...fields, onCurve: oc, inSubgroup: sg }, result, flags);
        };
        emit("Base8", BASE8, "valid", []);
        emit("-Base8", neg(BASE8), "valid", []);
        for (let i = 0; i < 4; i++) emit(`pseudo-random multiple of Base8 #${i + 1}`, mulBase8(prngRange("bjj/subgroup", i, 1n, L)), "valid", []);
        emit("identity (0, 1)", IDENTITY, "invalid", ["IdentityPoint"]);
        for (let i = 1; i < 8; i++) {
            const o = orderOf(i);
            emit(`torsion point ${i}·(l·Generator), order ${o}`, torsion[i], "invalid", ["NotInSubgroup", "SmallOrderPoint"]);
        }
        emit("Generator (order 8·l)", GEN, "invalid", ["NotInSubgroup"]);
        emit("Base8 + order-2 point", add(BASE8, torsion[4]), "invalid", ["NotInSubgroup"]);
        emit("Base8 + order-4 point", add(BASE8, torsion[2]), "invalid", ["NotInSubgroup"]);
        emit("Base8 + order-8 point", add(BASE8, torsion[1]), "invalid", ["NotInSubgroup"]);
        {
            const P = mulBase8(prngRange("bjj/subgroup-torsion", 0, 1n, L));
            emit("random multiple of Base8 + order-8 point", add(P, torsion[3]), "invalid", ["NotInSubgroup"]);
        }
        emit("(1, 1) is not on the curve", [1n, 1n], "invalid", ["NotOnCurve"]);
        emit("(0, 0) is not on the curve", [0n, 0n], "invalid", ["NotOnCurve"]);
        emit("Base8 with y + 1 is not on the curve", [BASE8[0], BASE8[1] + 1n], "invalid", ["NotOnCurve"]);
        {
            const P = [BASE8[0] + R, BASE8[1]];
            emit(
                "Base8 with x + p (x >= p). circomlibjs reduces coordinates mod p before checking, so onCurve/inSubgroup " +
                    "below are what circomlibjs reports for the reduced point; a conforming implementation must reject the coordinate",
                P, "invalid", ["NonCanonical"]
            );
        }
        {
            const P = [BASE8[0], BASE8[1] + R];
            emit(
                "Base8 with y + p (y >= p). circomlibjs reduces coordinates mod p before checking, so onCurve/inSubgroup " +
                    "below are what circomlibjs reports for the reduced point; a conforming implementation must reject the coordinate",
                P, "invalid", ["NonCanonical"]
            );
        }
    }
    return file;
}

// ---------------------------------------------------------------------------
// 3. identity.json
// ---------------------------------------------------------------------------

/** Independent re-derivation of the secret scalar with blake-hash (as circomlibjs does). */
function secretScalarFromKeyBytes(bytes) {
    const h = createBlakeHash("blake512").update(Buffer.from(bytes)).digest();
    const s = Buffer.from(h.subarray(0, 32));
    s[0] &= 0xf8;
    s[31] &= 0x7f;
    s[31] |= 0x40;
    return (leToBigInt(s) >> 3n) % L;
}

/** Checks an Identity against circomlibjs and returns the common output fields. */
function identityFields(id, keyBytes) {
    const ss = id.secretScalar;
    const pk = [id.publicKey[0], id.publicKey[1]];
    check(ss === secretScalarFromKeyBytes(keyBytes), "secretScalar == (prune(blake512(key))[0..32] >> 3) mod l");
    check(ss < L, "secretScalar < l");
    check(eqP(pk, mulBase8(ss)), "publicKey == secretScalar·Base8 (circomlibjs)");
    check(eqP(pk, toBig(eddsa.prv2pub(Buffer.from(keyBytes)))), "publicKey == circomlibjs eddsa.prv2pub(key)");
    check(id.commitment === poseidonHash(pk), "commitment == Poseidon(pk.x, pk.y) (circomlibjs)");
    const exported = id.export();
    check(Buffer.from(exported, "base64").equals(Buffer.from(keyBytes)), "export is base64 of the key bytes");
    const imported = Identity.import(exported);
    check(imported.commitment === id.commitment && imported.secretScalar === ss, "Identity.import(export()) round trip");
    return { secretScalar: dec(ss), publicKey: pt(pk), commitment: dec(id.commitment), export: exported };
}

const IDENTITY_TEXTS = [
    ["empty string", ""],
    ["ASCII text 'secret'", "secret"],
    ["text '0x1234abcd' (hashed as its 10 UTF-8 bytes, NOT hex-decoded)", "0x1234abcd"],
    ["unicode text 'ψῆφος' (hashed as its UTF-8 bytes)", "ψῆφος"],
    ["100-character ASCII text", "psephos".repeat(15).slice(0, 100)],
    ["text with a trailing newline", "secret\n"]
];

function genIdentity() {
    const file = new VectorFile(
        "identity.json",
        "semaphore-v4-identity",
        ref("@semaphore-protocol/identity", "@zk-kit/eddsa-poseidon", "@zk-kit/baby-jubjub", "poseidon-lite", "circomlibjs", "blake-hash"),
        {
            PrivateKeyText:
                "The private key is a JavaScript string passed to `new Identity(text)`; it is used as its UTF-8 bytes " +
                "(Buffer.from(text)). Derivation: h = BLAKE-512(key bytes); s = h[0..32] pruned (s[0] &= 0xf8, s[31] &= 0x7f, " +
                "s[31] |= 0x40), read little-endian; secretScalar = (s >> 3) mod l; publicKey = secretScalar·Base8; " +
                "commitment = Poseidon(publicKey.x, publicKey.y). Because bit 254 of s is always set, s >> 3 >= 2^251 > l, " +
                "so the reduction mod l always takes effect. export = base64 of the key bytes.",
            PrivateKeyBytes:
                "The private key is raw bytes (`privateKeyHex`) passed to `new Identity(Buffer)`; same derivation as PrivateKeyText.",
            EdDSAPoseidon:
                "signMessage(message): h = BLAKE-512(key); s = pruned h[0..32] (little-endian, NOT shifted); A = (s >> 3)·Base8; " +
                "r = BLAKE-512(h[32..64] || message as 32-byte little-endian) mod l; R8 = r·Base8; " +
                "hm = Poseidon(R8.x, R8.y, A.x, A.y, message); S = (r + hm·s) mod l.",
            Tampered: "One value of a valid signature, or the message, was changed. Must be refused.",
            ScalarNotReduced: "S is given as S + l (>= l). Must be refused, not reduced (the `reference` field records what the JS package does).",
            SmallOrderComponent: "R8 has a component of order 2: on the curve, outside the prime-order subgroup. Must be refused.",
            WrongKey: "A valid signature checked against another identity's public key. Must be refused."
        }
    );
    const g = file.group("IdentityDerivation");
    for (const [comment, text] of IDENTITY_TEXTS) {
        const id = new Identity(text);
        check(typeof id.privateKey === "string", "text key kept as string");
        g.add(comment, { privateKeyText: text, ...identityFields(id, Buffer.from(text, "utf8")) }, "valid", ["PrivateKeyText"]);
    }
    const byteKeys = [
        ["32 pseudo-random bytes #1", prngBytes("identity/bytes", 0, 32)],
        ["32 pseudo-random bytes #2", prngBytes("identity/bytes", 1, 32)],
        ["32 zero bytes", Buffer.alloc(32)],
        ["1 byte", Buffer.from([0x2a])],
        ["64 pseudo-random bytes", prngBytes("identity/bytes", 2, 64)],
        ["UTF-8 bytes of 'secret' as a Buffer (same identity as the text 'secret')", Buffer.from("secret", "utf8")]
    ];
    for (const [comment, bytes] of byteKeys) {
        const id = new Identity(Buffer.from(bytes));
        g.add(comment, { privateKeyHex: hex(bytes), ...identityFields(id, bytes) }, "valid", ["PrivateKeyBytes"]);
    }
    check(new Identity("secret").commitment === new Identity(Buffer.from("secret")).commitment, "text == utf8 bytes");

    const s = file.group("IdentitySignature");
    const messages = [0n, 1n, 42n, R - 1n, prngRange("identity/message", 0, 0n, R), prngRange("identity/message", 1, 0n, R)];
    const signers = [IDENTITY_TEXTS[1], IDENTITY_TEXTS[3]];
    for (const [, text] of signers) {
        const id = new Identity(text);
        for (const m of messages) {
            const sig = id.signMessage(m);
            check(Identity.verifySignature(m, sig, id.publicKey), "zk-kit verifies its signature");
            const c = eddsa.signPoseidon(Buffer.from(text, "utf8"), F.e(m));
            check(eqP(toBig(c.R8), sig.R8) && c.S === sig.S, "circomlibjs signPoseidon == identity.signMessage");
            check(eddsa.verifyPoseidon(F.e(m), c, toF(id.publicKey)), "circomlibjs verifyPoseidon");
            check(!Identity.verifySignature(m + 1n, sig, id.publicKey), "signature bound to message");
            s.add(
                `identity '${text}' signs message ${m === R - 1n ? "r-1" : m}`,
                {
                    privateKeyText: text,
                    publicKey: pt(id.publicKey),
                    message: dec(m),
                    signature: { R8: pt(sig.R8), S: dec(sig.S) }
                },
                "valid",
                ["PrivateKeyText", "EdDSAPoseidon"]
            );
        }
    }

    // Invalid signatures: each a single change to a valid one, with the reference's own verdict.
    const inv = file.group("IdentitySignatureInvalid");
    const signer = new Identity(IDENTITY_TEXTS[1][1]);
    const other = new Identity(IDENTITY_TEXTS[3][1]);
    const m = 42n;
    const good = signer.signMessage(m);
    const T2 = [0n, R - 1n];
    const variants = [
        ["S + 1", { R8: good.R8, S: (good.S + 1n) % L }, signer.publicKey, m, ["Tampered"]],
        ["S + l (not reduced; the same S modulo l)", { R8: good.R8, S: good.S + L }, signer.publicKey, m, ["ScalarNotReduced"]],
        ["R8 + Base8", { R8: add(good.R8, BASE8), S: good.S }, signer.publicKey, m, ["Tampered"]],
        ["R8 plus the order-2 point (0, p - 1): on the curve, outside the subgroup", { R8: add(good.R8, T2), S: good.S }, signer.publicKey, m, ["SmallOrderComponent"]],
        ["another identity's public key", good, other.publicKey, m, ["WrongKey"]],
        ["message + 1", good, signer.publicKey, m + 1n, ["Tampered"]],
    ];
    for (const [comment, sig, pk, msg, flags] of variants) {
        let verdict;
        try {
            verdict = Identity.verifySignature(msg, sig, pk) ? "accepts" : "rejects";
        } catch (e) {
            verdict = "throws";
        }
        inv.add(`identity '${IDENTITY_TEXTS[1][1]}', message ${m}: ${comment}; @semaphore-protocol/identity verifySignature ${verdict}`,
            { publicKey: pt(pk), message: dec(msg), signature: { R8: pt(sig.R8), S: dec(sig.S) }, reference: verdict },
            "invalid", flags);
    }
    return file;
}

// ---------------------------------------------------------------------------
// 4. lean_imt.json
// ---------------------------------------------------------------------------

/** Independent LeanIMT root: pairs hashed with circomlibjs Poseidon, a lone right-most node is carried up. */
function leanRoot(leaves) {
    if (leaves.length === 0) return { root: 0n, depth: 0 };
    let level = leaves.map((x) => BigInt(x) % R);
    let depth = 0;
    while (level.length > 1) {
        const next = [];
        for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? poseidonHash([level[i], level[i + 1]]) : level[i]);
        level = next;
        depth++;
    }
    return { root: level[0], depth };
}

/** Independent verification of a LeanIMT proof: bit i of index (LSB = first sibling) set => node is the right child. */
function proofRoot(proof) {
    let node = BigInt(proof.leaf);
    proof.siblings.forEach((sib, i) => {
        node = (proof.index >> i) & 1 ? poseidonHash([BigInt(sib), node]) : poseidonHash([node, BigInt(sib)]);
    });
    return node;
}

const leafValues = (label, n) => Array.from({ length: n }, (_, i) => prngRange(`lean-imt/${label}`, i, 1n, R));

function genLeanImt() {
    const file = new VectorFile(
        "lean_imt.json",
        "lean-imt-poseidon2",
        ref("@semaphore-protocol/group", "@zk-kit/lean-imt", "poseidon-lite", "circomlibjs"),
        {
            EmptyTree: "The group has no members; Group.root returns 0 (LeanIMT.root itself is undefined) and depth is 0.",
            SingleLeaf: "One leaf: the root is the leaf itself and the proof has no siblings.",
            RemovedLeaf:
                "A member was removed: Group.removeMember(i) sets leaf i to 0 (the tree keeps its size) and recomputes the path.",
            ZeroLeaf: "Adding the leaf 0 (reserved for removed members).",
            UpdateRemovedLeaf: "Updating a member that was removed (its leaf is 0).",
            RemoveRemovedLeaf: "Removing a member that was already removed.",
            LeafNotInField:
                "The leaf is >= r. The on-chain Semaphore contract (InternalLeanIMT) reverts with LeafGreaterThanSnarkScalarField; " +
                "the JS Group does NOT reject it (see the comment) and effectively hashes it reduced mod r.",
            DuplicateLeaf:
                "The leaf is already a member. The on-chain Semaphore contract (InternalLeanIMT) reverts with LeafAlreadyExists; " +
                "the JS Group does NOT reject it (see the comment).",
            IndexOutOfRange: "The operation refers to an index >= the group size."
        }
    );

    // --- Root
    {
        const g = file.group("Root");
        for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33]) {
            const leaves = leafValues(`root/${n}`, n);
            const group = new Group(leaves);
            const inc = new Group();
            for (const x of leaves) inc.addMember(x);
            check(inc.root === group.root && inc.depth === group.depth, "bulk == incremental insertion");
            const ind = leanRoot(leaves);
            check(group.root === ind.root && group.depth === ind.depth, `independent LeanIMT root for size ${n}`);
            check(group.size === n, "size");
            const flags = n === 0 ? ["EmptyTree"] : n === 1 ? ["SingleLeaf"] : [];
            g.add(`${n} pseudo-random leaves`, { leaves: leaves.map(dec), root: dec(group.root), depth: group.depth }, "valid", flags);
        }
    }

    // --- MerkleProof
    {
        const g = file.group("MerkleProof");
        const emit = (comment, n, index, flags = []) => {
            const leaves = leafValues(`proof/${n}`, n);
            const group = new Group(leaves);
            const proof = group.generateMerkleProof(index);
            check(LeanIMT.verifyProof(proof, (a, b) => poseidon2([a, b])), "LeanIMT.verifyProof");
            check(proofRoot(proof) === group.root && proof.root === group.root, "independent proof verification");
            check(proof.leaf === leaves[index], "proof leaf");
            check(Object.keys(proof).join(",") === "root,leaf,index,siblings", "proof shape");
            g.add(
                comment,
                {
                    leaves: leaves.map(dec),
                    index,
                    proof: { root: dec(proof.root), leaf: dec(proof.leaf), index: proof.index, siblings: proof.siblings.map(dec) }
                },
                "valid",
                flags
            );
        };
        emit("index 0 of a 1-leaf group (no siblings)", 1, 0, ["SingleLeaf"]);
        emit("index 0 of a 2-leaf group", 2, 0);
        emit("index 1 of a 2-leaf group", 2, 1);
        emit("last index of a 3-leaf group (promoted node, fewer siblings than depth)", 3, 2);
        emit("index 0 of a 4-leaf group", 4, 0);
        emit("middle index 2 of a 5-leaf group", 5, 2);
        emit("last index 4 of a 5-leaf group", 5, 4);
        emit("last index 6 of a 7-leaf group", 7, 6);
        emit("index 5 of an 8-leaf group", 8, 5);
        emit("middle index 4 of a 9-leaf group", 9, 4);
        emit("last index 8 of a 9-leaf group", 9, 8);
        emit("middle index 8 of a 17-leaf group", 17, 8);
        emit("index 13 of a 17-leaf group", 17, 13);
        emit("last index 16 of a 17-leaf group", 17, 16);
        emit("index 21 of a 33-leaf group", 33, 21);
        emit("last index 32 of a 33-leaf group", 33, 32);
    }

    // --- Operations
    const apply = (group, op) => {
        if (op.op === "add") group.addMember(op.leaf);
        else if (op.op === "update") group.updateMember(op.index, op.leaf);
        else if (op.op === "remove") group.removeMember(op.index);
        else throw new Error(`unknown op ${op.op}`);
    };
    const encOp = (op) => {
        const o = { op: op.op };
        if (op.index !== undefined) o.index = op.index;
        if (op.leaf !== undefined) o.leaf = dec(op.leaf);
        return o;
    };
    {
        const g = file.group("Operations");
        const emit = (comment, ops, flags = []) => {
            const group = new Group();
            const model = [];
            const roots = [];
            for (const op of ops) {
                apply(group, op);
                if (op.op === "add") model.push(op.leaf);
                else if (op.op === "update") model[op.index] = op.leaf;
                else model[op.index] = 0n;
                check(group.root === leanRoot(model).root, "independent root after op");
                roots.push(dec(group.root));
            }
            check(group.members.every((m, i) => m === model[i]) && group.size === model.length, "members");
            g.add(comment, { operations: ops.map(encOp), roots, finalMembers: group.members.map(dec) }, "valid", flags);
        };
        const v = leafValues("ops/a", 12);
        emit("add 3, update index 1, remove index 0, add 2 more, remove index 4", [
            { op: "add", leaf: v[0] },
            { op: "add", leaf: v[1] },
            { op: "add", leaf: v[2] },
            { op: "update", index: 1, leaf: v[3] },
            { op: "remove", index: 0 },
            { op: "add", leaf: v[4] },
            { op: "add", leaf: v[5] },
            { op: "remove", index: 4 }
        ], ["RemovedLeaf"]);
        emit("add 1 then remove it (root becomes 0)", [{ op: "add", leaf: v[6] }, { op: "remove", index: 0 }], ["RemovedLeaf", "SingleLeaf"]);
        const w = leafValues("ops/b", 12);
        const ops = w.slice(0, 9).map((leaf) => ({ op: "add", leaf }));
        ops.push({ op: "update", index: 8, leaf: w[9] });
        ops.push({ op: "remove", index: 3 });
        ops.push({ op: "update", index: 0, leaf: w[10] });
        ops.push({ op: "remove", index: 8 });
        ops.push({ op: "add", leaf: w[11] });
        emit("add 9 (depth 4), update last, remove middle, update first, remove index 8, add 1", ops, ["RemovedLeaf"]);
        emit("update a member back to a previous value", [
            { op: "add", leaf: v[7] },
            { op: "add", leaf: v[8] },
            { op: "update", index: 0, leaf: v[9] },
            { op: "update", index: 0, leaf: v[7] }
        ]);
    }

    // --- OperationsInvalid: all but the last operation succeed; `roots` has one entry per successful operation.
    {
        const g = file.group("OperationsInvalid");
        const emit = (comment, ops, flags, expectThrow) => {
            const group = new Group();
            const roots = [];
            for (const op of ops.slice(0, -1)) {
                apply(group, op);
                roots.push(dec(group.root));
            }
            let outcome;
            try {
                apply(group, ops[ops.length - 1]);
                outcome = `the JS Group does NOT throw: resulting root ${group.root}, size ${group.size}, depth ${group.depth}`;
                check(!expectThrow, `${comment}: expected a throw`);
            } catch (e) {
                outcome = `the JS Group throws: "${e.message}"`;
                check(expectThrow, `${comment}: unexpected throw ${e.message}`);
            }
            g.add(`${comment}; ${outcome}`, { operations: ops.map(encOp), roots }, "invalid", flags);
            return group;
        };
        const v = leafValues("ops/invalid", 8);
        emit("add leaf 0 to an empty group", [{ op: "add", leaf: 0n }], ["ZeroLeaf"], true);
        emit("add leaf 0 to a non-empty group", [{ op: "add", leaf: v[0] }, { op: "add", leaf: 0n }], ["ZeroLeaf"], true);
        emit("update a removed member", [
            { op: "add", leaf: v[0] },
            { op: "add", leaf: v[1] },
            { op: "remove", index: 0 },
            { op: "update", index: 0, leaf: v[2] }
        ], ["UpdateRemovedLeaf"], true);
        emit("remove a removed member", [
            { op: "add", leaf: v[0] },
            { op: "add", leaf: v[1] },
            { op: "remove", index: 1 },
            { op: "remove", index: 1 }
        ], ["RemoveRemovedLeaf"], true);
        {
            const grp = emit("add leaf = r", [{ op: "add", leaf: v[0] }, { op: "add", leaf: R }], ["LeafNotInField"], false);
            check(grp.root === leanRoot([v[0], 0n]).root, "JS Group hashes leaf r as if it were 0");
        }
        emit("add leaf = 2^256-1", [{ op: "add", leaf: v[0] }, { op: "add", leaf: TWO_256 - 1n }], ["LeafNotInField"], false);
        emit("update to leaf = r+1", [{ op: "add", leaf: v[0] }, { op: "add", leaf: v[1] }, { op: "update", index: 0, leaf: R + 1n }],
            ["LeafNotInField"], false);
        emit("add a leaf that is already a member", [{ op: "add", leaf: v[0] }, { op: "add", leaf: v[1] }, { op: "add", leaf: v[0] }],
            ["DuplicateLeaf"], false);
        emit("update index 5 of a 2-member group", [{ op: "add", leaf: v[0] }, { op: "add", leaf: v[1] }, { op: "update", index: 5, leaf: v[2] }],
            ["IndexOutOfRange"], true);
        emit("remove index 2 of a 2-member group (the JS Group silently corrupts the tree)",
            [{ op: "add", leaf: v[0] }, { op: "add", leaf: v[1] }, { op: "remove", index: 2 }], ["IndexOutOfRange"], false);
    }
    return file;
}

// ---------------------------------------------------------------------------
// 5. nullifier.json
// ---------------------------------------------------------------------------

/**
 * Semaphore v4's `hash` (keccak256 of the 32-byte big-endian value, shifted right by 8 bits).
 * It lives in @semaphore-protocol/proof (src/hash.ts, NOT exported, NOT in @semaphore-protocol/utils).
 * We extract the function from the installed proof bundle, check its text, and evaluate it with the
 * same ethers functions the bundle imports, so the vectors come from the shipped code.
 */
function loadSemaphoreHash() {
    const bundlePath = join(pkgDir("@semaphore-protocol/proof"), "dist", "index.node.js");
    const bundle = readFileSync(bundlePath, "utf8");
    check(/import \{[^}]*\bkeccak256\b[^}]*\} from 'ethers\/crypto';/.test(bundle), "proof imports keccak256 from ethers/crypto");
    check(/import \{[^}]*\btoBeHex\b[^}]*\} from 'ethers\/utils';/.test(bundle), "proof imports toBeHex from ethers/utils");
    const m = bundle.match(/function hash\(message\) \{\n([^}]*)\n\}/);
    check(m !== null, "hash() found in @semaphore-protocol/proof bundle");
    const body = m[1].trim();
    const EXPECTED = "return (BigInt(keccak256(toBeHex(message, 32))) >> 8n).toString();";
    check(body === EXPECTED, `proof hash() body is '${EXPECTED}' (found '${body}')`);
    const fromBundle = new Function("keccak256", "toBeHex", `return function hash(message) { ${body} };`)(keccak256, toBeHex);
    const mine = (message) => (BigInt(keccak256(`0x${be32hex(message)}`)) >> 8n).toString();
    return (message) => {
        const a = fromBundle(message);
        check(a === mine(message), "bundle hash == keccak256(be32(message)) >> 8");
        return BigInt(a);
    };
}

/** Text of `toBigInt` (src/to-bigint.ts) in the installed @semaphore-protocol/proof bundle (whitespace-normalized). */
const PROOF_TO_BIGINT_SOURCE = `function toBigInt(value) {
    try {
        return toBigInt$1(value);
    }
    catch (error) {
        if (typeof value === "string") {
            return toBigInt$1(encodeBytes32String(value));
        }
        throw TypeError(error instanceof Error ? error.message : error.toString());
    }
}`;

/**
 * Runs the unmodified `generateProof` of the installed @semaphore-protocol/proof bundle up to the Groth16 prover.
 *
 * The bundle's `import { groth16 } from 'snarkjs'` (and only that import of that module) is redirected by a
 * module resolve hook to a stub whose `fullProve(input)` records the circuit input and returns a dummy proof. So
 * everything before proving runs exactly as shipped: requireTypes, `toBigInt(message)`, `toBigInt(scope)`, the
 * Merkle-proof handling and `hash(message)` / `hash(scope)`. From the returned proof we read the converted integers
 * (`proof.message` / `proof.scope` are `toBigInt(x).toString()`), and from the recorded circuit input their hashes.
 * Returns an async function value -> {integer, hash} | {error}.
 */
async function loadGenerateProofConversion(semaphoreHash) {
    const bundlePath = join(pkgDir("@semaphore-protocol/proof"), "dist", "index.node.js");
    const entry = import.meta.resolve("@semaphore-protocol/proof");
    check(entry === pathToFileURL(bundlePath).href, "@semaphore-protocol/proof resolves to dist/index.node.js");
    const bundle = readFileSync(bundlePath, "utf8");
    const squash = (t) => t.replace(/\s+/g, " ").trim();
    check(/import \{ toBeHex, toBigInt as toBigInt\$1 \} from 'ethers\/utils';/.test(bundle), "proof imports toBigInt from ethers/utils");
    check(/import \{ encodeBytes32String \} from 'ethers\/abi';/.test(bundle), "proof imports encodeBytes32String from ethers/abi");
    check(/import \{ groth16 \} from 'snarkjs';/.test(bundle), "proof imports only groth16 from snarkjs");
    const m = bundle.match(/\nfunction toBigInt\(value\) \{\n[\s\S]*?\n\}\n/);
    check(m !== null && squash(m[0]) === squash(PROOF_TO_BIGINT_SOURCE), "proof toBigInt() source text");
    for (const line of [
        'requireTypes(message, "message", ["string", "bigint", "number", "Uint8Array"]);',
        'requireTypes(scope, "scope", ["string", "bigint", "number", "Uint8Array"]);',
        "message = toBigInt(message);",
        "scope = toBigInt(scope);",
        "scope: hash(scope),",
        "message: hash(message)",
        "message: message.toString(),",
        "scope: scope.toString(),"
    ]) {
        check(bundle.includes(line), `generateProof contains '${line}'`);
    }

    const stub = `data:text/javascript,${encodeURIComponent(
        "export const groth16 = { fullProve: (...args) => globalThis.__psephosFullProve(...args) };"
    )}`;
    const hooks = `const PARENT = ${JSON.stringify(entry)};
const STUB = ${JSON.stringify(stub)};
export async function resolve(specifier, context, nextResolve) {
    if (specifier === "snarkjs" && context.parentURL === PARENT) return { url: STUB, shortCircuit: true };
    return nextResolve(specifier, context);
}`;
    register(`data:text/javascript,${encodeURIComponent(hooks)}`);
    let captured = null;
    globalThis.__psephosFullProve = async (input) => {
        captured = input;
        return {
            proof: { pi_a: ["1", "2", "1"], pi_b: [["3", "4"], ["5", "6"], ["1", "0"]], pi_c: ["7", "8", "1"], protocol: "groth16" },
            publicSignals: ["0", "0", "0", "0"]
        };
    };
    const { generateProof } = await import(entry);

    const identity = new Identity("psephos/message-conversion");
    const artifacts = { wasm: "/nonexistent/semaphore.wasm", zkey: "/nonexistent/semaphore.zkey" };
    const run = async (message, scope) => {
        captured = null;
        const merkleProof = { root: identity.commitment, leaf: identity.commitment, index: 0, siblings: [] };
        try {
            const proof = await generateProof(identity, merkleProof, message, scope, undefined, artifacts);
            check(captured !== null, "the (stubbed) prover was called");
            return { proof, input: captured };
        } catch (error) {
            check(captured === null, "generateProof threw before proving");
            return { error };
        }
    };
    const errText = (e) => `${e.constructor.name}: ${e.shortMessage ?? e.message}`;
    return async (value) => {
        // Once as both message and scope, once as scope only: the two must be treated identically.
        const both = await run(value, value);
        const asScope = await run(0n, value);
        if (both.error) {
            check(asScope.error !== undefined && errText(asScope.error) === errText(both.error), "scope fails like message");
            return { error: both.error, errorText: errText(both.error) };
        }
        check(asScope.error === undefined, "scope accepted like message");
        const { proof, input } = both;
        check(proof.message === proof.scope && asScope.proof.scope === proof.scope, "message and scope convert identically");
        check(input.message === input.scope && asScope.input.scope === input.scope, "message and scope hash identically");
        const integer = BigInt(proof.message);
        check(proof.message === integer.toString(10), "proof.message is a canonical decimal");
        const h = BigInt(input.message);
        check(h === semaphoreHash(integer), "circuit message input == hash(integer)");
        return { integer, hash: h };
    };
}

/** ECMAScript WhiteSpace and LineTerminator code points: what BigInt(string) ignores around the literal. */
const JS_SPACE = "[\\u0009-\\u000d\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]";
const JS_BIGINT_LITERAL = new RegExp(
    `^${JS_SPACE}*(?:([+-]?)([0-9]+)|0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|)${JS_SPACE}*$`
);

function parseDigits(digits, radix) {
    let v = 0n;
    for (const c of digits) v = v * BigInt(radix) + BigInt(parseInt(c, radix));
    return v;
}

/** Independent model of ECMAScript StringToBigInt (what `BigInt(string)` accepts); null where BigInt() throws. */
function modelJsBigInt(s) {
    const m = JS_BIGINT_LITERAL.exec(s);
    if (m === null) return null;
    if (m[2] !== undefined) return (m[1] === "-" ? -1n : 1n) * parseDigits(m[2], 10);
    if (m[3] !== undefined) return parseDigits(m[3], 16);
    if (m[4] !== undefined) return parseDigits(m[4], 8);
    if (m[5] !== undefined) return parseDigits(m[5], 2);
    return 0n; // only whitespace (or nothing)
}

/**
 * Independent model of the documented message/scope rules (see the MessageConversion note); the generator checks
 * that it agrees with the real generateProof on every vector and probe.
 */
function modelMessage(kind, value) {
    let integer;
    let numeric = null;
    if (kind === "bigint") integer = value;
    else if (kind === "bytes") integer = parseDigits(hex(value), 16);
    else {
        // ethers getBigInt: "" is rejected; "-" followed by anything but "-" negates BigInt(rest).
        let n = null;
        if (value !== "") {
            if (value[0] === "-" && value[1] !== "-") {
                const rest = modelJsBigInt(value.slice(1));
                n = rest === null ? null : -rest;
            } else n = modelJsBigInt(value);
        }
        numeric = n !== null;
        if (numeric) integer = n;
        else {
            const utf8 = Buffer.from(value, "utf8");
            if (utf8.length > 31) return { numeric, stage: "toBigInt", error: "Error: bytes32 string must be less than 32 bytes" };
            integer = parseDigits(hex(Buffer.concat([utf8, Buffer.alloc(32 - utf8.length)])), 16);
        }
    }
    if (integer < 0n) return { numeric, integer, stage: "hash", error: "RangeError: unsigned value cannot be negative" };
    if (integer >= TWO_256) return { numeric, integer, stage: "hash", error: "RangeError: value exceeds width (32 bytes)" };
    return { numeric, integer };
}

async function genNullifier() {
    const semaphoreHash = loadSemaphoreHash();
    const convert = await loadGenerateProofConversion(semaphoreHash);
    const file = new VectorFile(
        "nullifier.json",
        "semaphore-v4-nullifier",
        ref("@semaphore-protocol/identity", "@semaphore-protocol/proof", "@semaphore-protocol/utils", "@zk-kit/utils", "ethers",
            "circomlibjs", "poseidon-lite"),
        {
            Nullifier:
                "nullifier = Poseidon(scope, secretScalar) (2 inputs, circomlib parameters), exactly the Semaphore v4 circuit line " +
                "`nullifier <== Poseidon(2)([scope, secret]);` (packages/circuits/src/semaphore.circom). `scope` here is the " +
                "field element that enters the circuit, i.e. already hashed: generateProof() passes hash(toBigInt(scope)). " +
                "secretScalar is Identity.secretScalar for privateKeyText. Computed with circomlibjs and cross-checked with poseidon-lite.",
            SemaphoreHash:
                "hash(message) = keccak256(toBeHex(message, 32)) >> 8, i.e. Keccak-256 of the 32-byte big-endian encoding of the " +
                "integer, interpreted as a big-endian integer and shifted right by 8 bits (so < 2^248 < r). This function is " +
                "`hash` in @semaphore-protocol/proof src/hash.ts (internal, not exported); it is not part of " +
                "@semaphore-protocol/utils 4.x. The generator extracts it from the installed proof bundle, verifies its exact " +
                "text and evaluates it. keccakInputHex is the exact 32-byte input to Keccak-256. It matches the Solidity " +
                "`uint256(keccak256(abi.encodePacked(message))) >> 8`.",
            MessageTooLarge:
                "The message (after conversion) is >= 2^256, so it does not fit in 32 bytes; ethers toBeHex(message, 32) in " +
                "hash() throws RangeError 'value exceeds width (32 bytes)'. generateProof throws before proving.",
            MessageConversion:
                "How generateProof(identity, groupOrMerkleProof, message, scope) turns message and scope (type " +
                "BigNumberish | Uint8Array | string) into the integers it hashes. Source: @semaphore-protocol/proof 4.14.3 " +
                "src/generate-proof.ts (requireTypes(x, [string, bigint, number, Uint8Array]); message = toBigInt(message); " +
                "scope = toBigInt(scope); circuit inputs message: hash(message), scope: hash(scope); the returned proof's " +
                "message/scope fields are toBigInt(x).toString(), i.e. the unhashed integer, not reduced mod r), " +
                "src/to-bigint.ts (toBigInt(v) = try { ethers.toBigInt(v) } catch { if v is a string: " +
                "ethers.toBigInt(encodeBytes32String(v)), else throw TypeError }), src/hash.ts, and ethers 6.13.4 " +
                "lib.esm/utils/maths.js (toBigInt, getBigInt, getUint, toBeHex), lib.esm/abi/bytes32.js " +
                "(encodeBytes32String), lib.esm/utils/utf8.js (toUtf8Bytes). Message and scope follow the same rules. " +
                "(1) bigint (messageKind bigint): used as is. " +
                "(2) Uint8Array (messageKind bytesHex): the bytes read as an unsigned big-endian integer; any length, empty = 0, " +
                "leading zero bytes do not matter. " +
                "(3) string (messageKind string): (a) the empty string is not a number (getBigInt throws 'empty string') and " +
                "is converted as text, which gives 0. (b) If the first character is '-' and the second is not '-', the rest " +
                "is parsed as in (c) and negated: '-1' and '-0x10' give negative integers (rejected by (4)); '-0', '-' and " +
                "'-' followed only by whitespace give 0. (c) Otherwise the string is parsed with JavaScript BigInt(string) " +
                "(ECMAScript StringToBigInt): optional leading and trailing ECMAScript whitespace/line terminators " +
                "(U+0009..U+000D, U+0020, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF), " +
                "around either nothing (so a whitespace-only string is 0), an ASCII decimal with an optional '+' or '-' " +
                "sign and any number of leading zeros ('007' = 7), or an unsigned 0x/0X hexadecimal (either letter case), " +
                "0o/0O octal or 0b/0B binary literal with at least one digit and any number of digits. No '_' separators, " +
                "no decimal point or exponent ('1e3', '1.5' are text), no inner spaces ('12 34' is text), no 'n' suffix, " +
                "no non-ASCII digits, no sign before a 0x/0o/0b prefix except the '-' of (b). (d) Any other string is text: " +
                "its UTF-8 bytes (ethers toUtf8Bytes, no Unicode normalization) must be at most 31 bytes, otherwise " +
                "encodeBytes32String throws Error 'bytes32 string must be less than 32 bytes'; they are right-padded with " +
                "zero bytes to 32 bytes and read big-endian, i.e. integer = utf8 * 256^(32 - len(utf8)). So '' and '0' " +
                "both give 0, and trailing NUL characters do not change the integer. " +
                "(4) hash() then needs 0 <= integer < 2^256: a negative integer throws RangeError 'unsigned value cannot be " +
                "negative', an integer >= 2^256 throws RangeError 'value exceeds width (32 bytes)' (both from ethers " +
                "toBeHex(x, 32) via getUint). Only the value counts, not the length of the string or byte array. Both " +
                "errors, like the text-too-long error, are thrown by generateProof before proving. " +
                "Not covered by vectors: a JS number must be a safe integer (|n| <= 2^53 - 1), otherwise TypeError " +
                "'underflow' (non-integer) or 'overflow'; other JS types fail requireTypes; a string with an unpaired UTF-16 " +
                "high surrogate makes toUtf8Bytes throw, an unpaired low surrogate is encoded as 3 bytes. " +
                "Every expected value comes from running the installed, unmodified generateProof up to the prover (its " +
                "snarkjs import is redirected to a stub that records the circuit input), and is cross-checked against an " +
                "independent model of the rules above.",
            NumericString: "The string is parsed as an integer by ethers getBigInt (rules (3b)/(3c) of MessageConversion).",
            TextString:
                "The string is not a number for ethers getBigInt, so it is converted as UTF-8 text with " +
                "encodeBytes32String (rules (3a)/(3d) of MessageConversion).",
            TextTooLong:
                "The string is text of more than 31 UTF-8 bytes; encodeBytes32String throws 'bytes32 string must be less " +
                "than 32 bytes' and generateProof throws.",
            MessageNegative:
                "The message converts to a negative integer; hash() (ethers toBeHex via getUint) throws RangeError " +
                "'unsigned value cannot be negative' and generateProof throws.",
            JsBigIntSyntax:
                "The string is accepted as a number only because of JavaScript BigInt(string) syntax beyond plain decimal and " +
                "0x-hexadecimal: surrounding whitespace, a '+' sign, '-0', '-' alone, a whitespace-only string, 0b/0o literals. " +
                "Result 'acceptable': the JS reference hashes `integer`; an implementation may accept the input with exactly " +
                "this integer or reject it, but must never map it to a different integer."
        }
    );

    const g = file.group("Nullifier");
    const scopes = [
        ["scope 0", 0n],
        ["scope 1", 1n],
        ["scope = hash(42) (as generateProof would pass for scope 42)", semaphoreHash(42n)],
        ["scope r-1", R - 1n],
        ["pseudo-random scope", prngRange("nullifier/scope", 0, 0n, R)]
    ];
    for (const text of ["secret", "ψῆφος", "alice", "bob"]) {
        const id = new Identity(text);
        for (const [sc, scope] of scopes) {
            const nullifier = poseidonHash([scope, id.secretScalar]);
            check(nullifier === poseidon2([scope, id.secretScalar]), "poseidon-lite nullifier");
            g.add(
                `identity '${text}', ${sc}`,
                { privateKeyText: text, secretScalar: dec(id.secretScalar), scope: dec(scope), nullifier: dec(nullifier) },
                "valid",
                ["Nullifier"]
            );
        }
    }

    const h = file.group("SemaphoreHash");
    const messages = [
        ["0", 0n],
        ["1", 1n],
        ["42", 42n],
        ["2^253", 1n << 253n],
        ["r-1", R - 1n],
        ["r (not reduced: any 256-bit value is accepted)", R],
        ["2^256-1 (largest 32-byte value)", TWO_256 - 1n],
        ["pseudo-random 256-bit value", prngU256("semaphore-hash", 0)],
        ["pseudo-random 256-bit value", prngU256("semaphore-hash", 1)]
    ];
    for (const [c, m] of messages) {
        const out = semaphoreHash(m);
        check(out < 1n << 248n, "hash < 2^248");
        h.add(`message ${c}`, { message: dec(m), keccakInputHex: be32hex(m), hash: dec(out) }, "valid", ["SemaphoreHash"]);
    }
    const hi = file.group("SemaphoreHashInvalid");
    for (const [c, m] of [["2^256", TWO_256], ["2^256 + 1", TWO_256 + 1n]]) {
        let msg = null;
        try {
            semaphoreHash(m);
        } catch (e) {
            msg = e.shortMessage ?? e.message;
        }
        check(msg !== null, `hash(${c}) throws`);
        hi.add(`message ${c}; @semaphore-protocol/proof hash() throws: "${msg}"`, { message: dec(m) }, "invalid", ["MessageTooLarge"]);
    }

    await genSemaphoreMessage(file, convert);
    return file;
}

async function genSemaphoreMessage(file, convert) {
    const utf8Len = (s) => Buffer.byteLength(s, "utf8");
    const text31 = "Semaphore v4 message as bytes32";
    check(utf8Len(text31) === 31, "31-byte text");
    const psi16 = "ψ".repeat(16);
    check(psi16.length === 16 && utf8Len(psi16) === 32, "16 chars, 32 bytes");
    const psi15a = `${"ψ".repeat(15)}a`;
    check(utf8Len(psi15a) === 31, "16 chars, 31 bytes");
    const text100 = "The quick brown fox jumps over the lazy dog. ".repeat(3).slice(0, 100);
    check(text100.length === 100, "100-char text");
    const dec77 = prngRange("semaphore-message/dec77", 0, 10n ** 76n, 10n ** 77n);
    const hex64 = be32hex(prngU256("semaphore-message/hex64", 0));
    const max = TWO_256 - 1n;
    const bytes = (h) => new Uint8Array(Buffer.from(h, "hex"));

    // [comment, kind, value]; kind "string" | "bytes" | "bigint"
    const valid = [
        ["decimal string '0'", "string", "0"],
        ["decimal string '1'", "string", "1"],
        ["decimal string '123456789'", "string", "123456789"],
        ["77-digit decimal string", "string", dec77.toString()],
        ["decimal string 2^256-1 (largest accepted value)", "string", max.toString()],
        ["decimal string with leading zeros '007' (= 7)", "string", "007"],
        ["80-character decimal string with leading zeros, value 2^256-1 (the string length does not matter)", "string",
            max.toString().padStart(80, "0")],
        ["hex string '0x00'", "string", "0x00"],
        ["hex string '0xff'", "string", "0xff"],
        ["hex string with upper-case digits '0xFF'", "string", "0xFF"],
        ["hex string with upper-case prefix '0XfF'", "string", "0XfF"],
        ["hex string '0x' + 64 hex digits", "string", `0x${hex64}`],
        ["hex string 2^256-1", "string", `0x${"f".repeat(64)}`],
        ["hex string '0x0' + 64 'f' (65 hex digits, value 2^256-1 < 2^256: accepted)", "string", `0x0${"f".repeat(64)}`],
        ["odd number of hex digits '0x123'", "string", "0x123"],
        ["text 'hello'", "string", "hello"],
        ["empty string: not a number for ethers, so text; encodeBytes32String('') is 32 zero bytes, i.e. 0 (same as '0')",
            "string", ""],
        ["multi-byte UTF-8 text 'ψῆφος' (11 bytes)", "string", "ψῆφος"],
        ["31-byte ASCII text (longest accepted)", "string", text31],
        ["16 characters, 31 UTF-8 bytes (the limit is in bytes)", "string", psi15a],
        ["text with a 4-byte UTF-8 character (surrogate pair in JS)", "string", "vote 🗳"],
        ["'12 34': inner space, not a number, text", "string", "12 34"],
        ["'1e3': exponent notation is not accepted by BigInt(), text", "string", "1e3"],
        ["'1.5': decimal point, text", "string", "1.5"],
        ["'1_000': numeric separator, text", "string", "1_000"],
        ["'0x': prefix without digits, text", "string", "0x"],
        ["'0x1g': invalid hex digit, text", "string", "0x1g"],
        ["'0x-1': sign after the prefix, text", "string", "0x-1"],
        ["'--1': two minus signs, text", "string", "--1"],
        ["'-abc': '-' then a non-number, text", "string", "-abc"],
        ["'12n': BigInt literal suffix, text", "string", "12n"],
        ["'Infinity', text", "string", "Infinity"],
        ["'٣' (ARABIC-INDIC DIGIT THREE): only ASCII digits are numeric, text", "string", "٣"],
        ["'a\\u0000': a trailing NUL gives the same integer as 'a'", "string", "a\u0000"],
        ["'a'", "string", "a"],
        ["empty byte array (= 0)", "bytes", bytes("")],
        ["byte array [1]", "bytes", bytes("01")],
        ["byte array [0, 0, 1] (leading zero bytes ignored, = 1)", "bytes", bytes("000001")],
        ["32 bytes 0xff (2^256-1)", "bytes", bytes("ff".repeat(32))],
        ["32 pseudo-random bytes", "bytes", bytes(be32hex(prngU256("semaphore-message/bytes32", 0)))],
        ["33 bytes with a leading zero byte (value 2^256-1 < 2^256: accepted)", "bytes", bytes(`00${"ff".repeat(32)}`)],
        ["UTF-8 bytes of 'hello' (a byte array is a number, not right-padded like text)", "bytes",
            new Uint8Array(Buffer.from("hello", "utf8"))],
        ["bigint 0", "bigint", 0n],
        ["bigint 1", "bigint", 1n],
        ["bigint 2^255", "bigint", 1n << 255n],
        ["bigint r (not reduced mod r)", "bigint", R],
        ["bigint 2^256-1", "bigint", max]
    ];
    const quirks = [
        ["' 42 ': BigInt() ignores surrounding whitespace", "string", " 42 "],
        ["'42\\n': trailing newline ignored", "string", "42\n"],
        ["'\\u00a042': leading NO-BREAK SPACE ignored", "string", "\u00a042"],
        ["'\\ufeff42': leading BOM (U+FEFF) ignored", "string", "\ufeff42"],
        ["'\\u300042\\u2029': IDEOGRAPHIC SPACE and PARAGRAPH SEPARATOR ignored", "string", "\u300042\u2029"],
        ["' ': whitespace-only string is BigInt(' ') = 0, not text", "string", " "],
        ["'+5': '+' sign accepted", "string", "+5"],
        ["'-0' = 0", "string", "-0"],
        ["'-': ethers negates BigInt('') = 0, so 0 (not the text '-')", "string", "-"],
        ["'- ': ethers negates BigInt(' ') = 0", "string", "- "],
        ["'0b101': binary literal = 5", "string", "0b101"],
        ["'0O17': octal literal = 15", "string", "0O17"],
        ["'-0x0': ethers negates BigInt('0x0') = 0", "string", "-0x0"]
    ];
    const invalid = [
        ["32-byte ASCII text", "string", "a".repeat(32)],
        ["16 characters but 32 UTF-8 bytes", "string", psi16],
        ["100-character text", "string", text100],
        ["'0x1' + 64 zeros (65 hex digits, = 2^256)", "string", `0x1${"0".repeat(64)}`],
        ["'0x' + 65 'f' (65 hex digits, >= 2^256)", "string", `0x${"f".repeat(65)}`],
        ["decimal string 2^256", "string", TWO_256.toString()],
        ["79-digit decimal string 10^78 (>= 2^256)", "string", (10n ** 78n).toString()],
        ["decimal string '-1'", "string", "-1"],
        ["'-0x10' (ethers negates BigInt('0x10'))", "string", "-0x10"],
        ["' -5' (BigInt(' -5') = -5)", "string", " -5"],
        ["33 bytes 0xff (>= 2^256)", "bytes", bytes("ff".repeat(33))],
        ["33 bytes [1, 0 x 32] (= 2^256)", "bytes", bytes(`01${"00".repeat(32)}`)],
        ["bigint -1", "bigint", -1n],
        ["bigint 2^256", "bigint", TWO_256]
    ];
    // Checked against the model, not written out: every whitespace code point, and near misses.
    const probes = [
        ...["\t", "\n", "\v", "\f", "\r", " ", "\u00a0", "\u1680", "\u2000", "\u2005", "\u200a", "\u2028",
            "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff", "\u180e", "\u200b", "\u0085", "\u001c"]
            .flatMap((w) => [`${w}7`, `7${w}`, `-${w}7`, w]),
        "+", "-+5", "+-5", "+0x10", "0x", "0b", "0o", "0b2", "0o8", "0xG", "00x1", "0 x1", "٠", "１", "1 ", " 1 2", "-", "--",
        "0x" + "0".repeat(100) + "1", "9".repeat(78), "9".repeat(77), "-".repeat(31), "-".repeat(32), "\u0000", "\u0000".repeat(31),
        "é".repeat(15), "é".repeat(16), "NaN", "true", "null", "undefined", "0.0", ".5", "5.", "0e0", "1E3"
    ].map((s) => ["probe", "string", s]);

    const describe = (kind, value) =>
        kind === "string" ? value : kind === "bytes" ? hex(value) : value.toString(10);
    const evaluate = async ([comment, kind, value]) => {
        const real = await convert(value);
        const model = modelMessage(kind, value);
        const what = `${kind} ${JSON.stringify(describe(kind, value))}`;
        if (real.error) {
            check(model.error === real.errorText, `${what}: model error '${model.error}' == real '${real.errorText}'`);
        } else {
            check(model.error === undefined, `${what}: model predicts error ${model.error}, real accepts`);
            check(model.integer === real.integer, `${what}: model integer ${model.integer} == real ${real.integer}`);
        }
        return { comment, kind, value, real, model };
    };
    for (const p of probes) await evaluate(p);

    const fields = (kind, value) => ({ messageKind: kind === "bytes" ? "bytesHex" : kind, message: describe(kind, value) });
    const kindFlags = (e) => (e.kind !== "string" ? [] : e.model.numeric ? ["NumericString"] : ["TextString"]);

    const g = file.group("SemaphoreMessage");
    for (const c of valid) {
        const e = await evaluate(c);
        check(!e.real.error, `${c[0]}: accepted`);
        check(!isBigIntSyntaxQuirk(e), `${c[0]}: not a BigInt-syntax quirk`);
        g.add(e.comment, { ...fields(e.kind, e.value), integer: dec(e.real.integer), hash: dec(e.real.hash) }, "valid",
            ["MessageConversion", ...kindFlags(e)]);
    }
    const q = file.group("SemaphoreMessageQuirk");
    for (const c of quirks) {
        const e = await evaluate(c);
        check(!e.real.error && isBigIntSyntaxQuirk(e), `${c[0]}: accepted BigInt-syntax quirk`);
        q.add(`${e.comment}; the JS reference accepts it as the integer ${e.real.integer}`,
            { ...fields(e.kind, e.value), integer: dec(e.real.integer), hash: dec(e.real.hash) }, "acceptable",
            ["MessageConversion", ...kindFlags(e), "JsBigIntSyntax"]);
    }
    const inv = file.group("SemaphoreMessageInvalid");
    for (const c of invalid) {
        const e = await evaluate(c);
        check(e.real.error, `${c[0]}: rejected`);
        const where = e.model.stage === "toBigInt"
            ? "in toBigInt() (src/to-bigint.ts, ethers encodeBytes32String)"
            : `in hash() (src/hash.ts, ethers toBeHex(x, 32)) after toBigInt() returned ${e.model.integer}`;
        const flag = e.model.stage === "toBigInt" ? "TextTooLong" : e.model.integer < 0n ? "MessageNegative" : "MessageTooLarge";
        inv.add(`${e.comment}; generateProof throws ${e.real.errorText} ${where}`, fields(e.kind, e.value), "invalid",
            ["MessageConversion", ...kindFlags(e), flag]);
    }
}

/** A numeric string accepted only through BigInt() syntax beyond [0-9]+ and 0x/0X hex (see the JsBigIntSyntax note). */
function isBigIntSyntaxQuirk(e) {
    if (e.kind !== "string" || !e.model.numeric) return false;
    return !/^(?:[0-9]+|0[xX][0-9a-fA-F]+)$/.test(e.value);
}

// ---------------------------------------------------------------------------
// 6. elgamal.json: exponential ElGamal on Baby Jubjub, one key per option
// ---------------------------------------------------------------------------

/** The psephos ballot ciphertext (docs/spec/ballot.md): c1 = rho·Base8, c2_i = v_i·Base8 + rho·PK_i. */
function genElGamal() {
    const file = new VectorFile("elgamal.json", "exponential-elgamal-babyjubjub-per-option-keys",
        ref("circomlibjs", "ffjavascript", "@zk-kit/baby-jubjub"), {
            NegativeVote: "At least one vote is negative; it is encoded as the scalar l - |v| (l = the subgroup order), so v·Base8 = -(|v|·Base8).",
            EdgeRandomness: "The randomness is 1 or l - 1.",
            NotOnCurve: "A ciphertext point does not lie on the curve. Must be rejected.",
            NotInSubgroup: "A ciphertext point is on the curve but outside the prime-order subgroup (a torsion point or torsion + subgroup point). Must be rejected.",
            NonCanonical: "A ciphertext coordinate is >= p. Must be rejected, not reduced.",
            OptionCountMismatch: "The ciphertext has another number of components than the key has options. Must be rejected."
        });
    const scalarOf = (v) => ((v % L) + L) % L;
    const keys = (label, k) => {
        const sk = Array.from({ length: k }, (_, i) => prngRange(`elgamal/${label}/sk`, i, 1n, L));
        return { sk, pk: sk.map((x) => mulBase8(x)) };
    };
    const encrypt = (pk, votes, rho) => {
        const c1 = mulBase8(rho);
        const c2 = pk.map((K, i) => add(mulBase8(scalarOf(BigInt(votes[i]))), mul(K, rho)));
        // Cross-check one component with @zk-kit/baby-jubjub's own scalar multiplication.
        check(eqP(c1, zkBabyJub.mulPointEscalar(zkBabyJub.Base8, rho)), "zk-kit rho·Base8");
        return { c1, c2 };
    };
    const ctJson = (ct) => ({ c1: pt(ct.c1), c2: ct.c2.map(pt) });
    const enc = file.group("Encrypt");
    const cases = [
        ["one option, vote 3", 1, [3], null],
        ["three options, mixed votes", 3, [2, -1, 0], null],
        ["five options, budget-sized votes", 5, [7, -7, 1, -1, 0], null],
        ["four options, large votes", 4, [1000, -1000, 65535, -65536], null],
        ["two options, randomness 1", 2, [1, -2], 1n],
        ["two options, randomness l - 1", 2, [-3, 4], L - 1n],
    ];
    cases.forEach(([comment, k, votes, fixedRho], n) => {
        const { sk, pk } = keys(`enc/${n}`, k);
        const rho = fixedRho ?? prngRange("elgamal/enc/rho", n, 1n, L);
        const ct = encrypt(pk, votes, rho);
        const flags = [];
        if (votes.some((v) => v < 0)) flags.push("NegativeVote");
        if (fixedRho !== null) flags.push("EdgeRandomness");
        enc.add(comment, {
            secretKeys: sk.map(dec), publicKeys: pk.map(pt), votes, randomness: dec(rho), ciphertext: ctJson(ct)
        }, "valid", flags);
    });
    const addG = file.group("Add");
    for (let n = 0; n < 3; n++) {
        const k = n + 1;
        const { pk } = keys(`add/${n}`, k);
        const va = Array.from({ length: k }, (_, i) => Number(prngRange(`elgamal/add/va/${n}`, i, 0n, 11n)) - 5);
        const vb = Array.from({ length: k }, (_, i) => Number(prngRange(`elgamal/add/vb/${n}`, i, 0n, 11n)) - 5);
        const a = encrypt(pk, va, prngRange("elgamal/add/ra", n, 1n, L));
        const b = encrypt(pk, vb, prngRange("elgamal/add/rb", n, 1n, L));
        const sum = { c1: add(a.c1, b.c1), c2: a.c2.map((p, i) => add(p, b.c2[i])) };
        addG.add(`${k} option(s): homomorphic sum`, { a: ctJson(a), b: ctJson(b), sum: ctJson(sum) }, "valid",
            va.concat(vb).some((v) => v < 0) ? ["NegativeVote"] : []);
    }
    const rer = file.group("Rerandomize");
    for (let n = 0; n < 2; n++) {
        const k = 2 + n;
        const { pk } = keys(`rer/${n}`, k);
        const votes = Array.from({ length: k }, (_, i) => i + 1);
        const ct = encrypt(pk, votes, prngRange("elgamal/rer/rho", n, 1n, L));
        const r = prngRange("elgamal/rer/r", n, 1n, L);
        const zero = encrypt(pk, votes.map(() => 0), r);
        const out = { c1: add(ct.c1, zero.c1), c2: ct.c2.map((p, i) => add(p, zero.c2[i])) };
        rer.add(`${k} options: add an encryption of zero`, { publicKeys: pk.map(pt), ciphertext: ctJson(ct), r: dec(r), rerandomized: ctJson(out) });
    }
    const dg = file.group("Decrypt", { bound: 1000 });
    for (let n = 0; n < 3; n++) {
        const k = 3;
        const { sk, pk } = keys(`dec/${n}`, k);
        const votes = [n * 333, -(n * 333 + 1), 1000 - n];
        const ct = encrypt(pk, votes, prngRange("elgamal/dec/rho", n, 1n, L));
        dg.add(`decrypt and solve the discrete logs within +-1000`, { secretKeys: sk.map(dec), ciphertext: ctJson(ct), votes }, "valid", ["NegativeVote"]);
    }
    // Invalid ciphertexts: one point replaced.
    const inv = file.group("CiphertextDecode");
    const { pk } = keys("inv", 2);
    const good = encrypt(pk, [1, -1], prngRange("elgamal/inv/rho", 0, 1n, L));
    // A torsion point of order 2 and a subgroup point plus it.
    const T2 = [0n, R - 1n];
    check(onCurve(T2) && !inSubgroup(T2), "order-2 torsion point");
    const mixed = add(good.c2[0], T2);
    check(onCurve(mixed) && !inSubgroup(mixed), "subgroup + torsion");
    const offCurve = [good.c1[0], (good.c1[1] + 1n) % R];
    check(!onCurve(offCurve), "off-curve point");
    const bad = (comment, ct, flag) => inv.add(comment, { options: 2, ciphertext: { c1: { x: dec(ct.c1[0]), y: dec(ct.c1[1]) }, c2: ct.c2.map((p) => ({ x: dec(p[0]), y: dec(p[1]) })) } }, "invalid", [flag]);
    inv.add("well-formed ciphertext", { options: 2, ciphertext: ctJson(good) });
    bad("c1 off the curve", { c1: offCurve, c2: good.c2 }, "NotOnCurve");
    bad("c2[1] off the curve", { c1: good.c1, c2: [good.c2[0], [good.c2[1][0], (good.c2[1][1] + 2n) % R]] }, "NotOnCurve");
    bad("c1 is the order-2 point (0, p - 1)", { c1: T2, c2: good.c2 }, "NotInSubgroup");
    bad("c2[0] is a subgroup point plus the order-2 point", { c1: good.c1, c2: [mixed, good.c2[1]] }, "NotInSubgroup");
    bad("c1.y + p (non-canonical)", { c1: [good.c1[0], good.c1[1] + R], c2: good.c2 }, "NonCanonical");
    bad("c2[1].x + p (non-canonical)", { c1: good.c1, c2: [good.c2[0], [good.c2[1][0] + R, good.c2[1][1]]] }, "NonCanonical");
    bad("three components for a two-option key", { c1: good.c1, c2: [good.c2[0], good.c2[1], good.c2[0]] }, "OptionCountMismatch");
    return file;
}

// ---------------------------------------------------------------------------
// Main: build everything in memory, then write.
// ---------------------------------------------------------------------------

const files = [genPoseidon(), genBabyJubjub(), genIdentity(), genLeanImt(), await genNullifier(), genElGamal()];
const rendered = files.map((f) => [f.fileName, f.render()]);
let total = 0;
for (const [name, text] of rendered) {
    // Parse back as a sanity check of the JSON itself.
    const doc = JSON.parse(text);
    const ids = doc.testGroups.flatMap((g) => g.tests.map((t) => t.tcId));
    check(ids.length === doc.numberOfTests && ids.every((id, i) => id === i + 1), `${name}: tcIds 1..n`);
    writeFileSync(join(OUT_DIR, name), text);
    total += text.length;
    console.log(`wrote test-vectors/${name}: ${doc.numberOfTests} tests, ${text.length} bytes`);
}
console.log(`total ${total} bytes`);
process.exit(0);
