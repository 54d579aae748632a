// Generates test-vectors/groth16-semaphore-v4.json: Wycheproof-style Groth16 (BN254)
// verification vectors built from the committed Semaphore v4 fixture
// (test-vectors/semaphore-v4/: real proofs under the Semaphore ceremony keys) and
// mutations of it. Every case is run through snarkjs.groth16.verify and snarkjs'
// verdict is recorded next to psephos' expected result; the two differ where
// snarkjs is lenient (non-canonical encodings), which the notes explain.
//
// Deterministic: CI runs it (scripts/test.sh) and fails on any difference.
//
//     bash interop/setup.sh && node interop/make-proof-vectors.mjs

import fs from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import * as snarkjs from "snarkjs"

const here = path.dirname(fileURLToPath(import.meta.url))
const fixture = path.join(here, "..", "test-vectors", "semaphore-v4")
const out = path.join(here, "..", "test-vectors", "groth16-semaphore-v4.json")
const read = (...p) => JSON.parse(fs.readFileSync(path.join(fixture, ...p), "utf8"))
const versionOf = (name) => JSON.parse(fs.readFileSync(path.join(here, "node_modules", name, "package.json"), "utf8")).version

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n
const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n
const clone = (x) => JSON.parse(JSON.stringify(x))
const add = (s, k) => ((BigInt(s) + k) % P).toString()

function check(cond, what) {
    if (!cond) throw new Error(`self-check failed: ${what}`)
}

async function snarkjsVerdict(vk, pub, proof) {
    try {
        return (await snarkjs.groth16.verify(vk, pub, proof, { info() {}, warn() {}, error() {}, debug() {} })) ? "accepts" : "rejects"
    } catch (e) {
        return "throws"
    }
}

const notes = {
    Tampered: "A proof point or public input was changed; the pairing check fails.",
    WrongKey: "The proof is checked against the verifying key of another circuit (another depth).",
    WrongInputCount: "The number of public inputs differs from the key's.",
    NonCanonicalInput: "A public input is given as its value plus r (>= r). Must be refused, not reduced (the snarkjs field records what snarkjs does).",
    NonCanonicalCoordinate: "A proof coordinate is given as its value plus p (>= p). Must be refused, not reduced; snarkjs reduces it and accepts the proof.",
    NotOnCurve: "A proof point is not on the curve.",
    IdentityPoint: "A proof point is the point at infinity.",
}

const groups = { Verify: [], VerifyInvalid: [] }
let tcId = 1
const used = new Set()
async function add_case(group, comment, depth, vkDepth, pub, proof, result, flags) {
    const vk = read(`depth-${vkDepth}`, "verification_key.json")
    const verdict = await snarkjsVerdict(vk, pub, proof)
    if (result === "valid") check(verdict === "accepts", `${comment}: snarkjs accepts`)
    for (const f of flags) used.add(f)
    groups[group].push({ tcId: tcId++, comment, vkDepth, publicSignals: pub, proof, snarkjs: verdict, result, flags })
}

for (const depth of [2, 10]) {
    const proof = read(`depth-${depth}`, "proof.json")
    const pub = read(`depth-${depth}`, "public.json")
    await add_case("Verify", `Semaphore v4 proof, depth ${depth}, ceremony key`, depth, depth, pub, proof, "valid", [])
}

const proof = read("depth-2", "proof.json")
const pub = read("depth-2", "public.json")
const bad = async (comment, mutate, flags, vkDepth = 2) => {
    const p = clone(proof)
    const s = clone(pub)
    mutate(p, s)
    await add_case("VerifyInvalid", comment, 2, vkDepth, s, p, "invalid", flags)
}
await bad("nullifier + 1", (p, s) => { s[1] = ((BigInt(s[1]) + 1n) % R).toString() }, ["Tampered"])
await bad("message hash and scope hash swapped", (p, s) => { [s[2], s[3]] = [s[3], s[2]] }, ["Tampered"])
await bad("A negated", (p) => { p.pi_a[1] = (P - BigInt(p.pi_a[1])).toString() }, ["Tampered"])
await bad("C replaced by A", (p) => { p.pi_c = clone(p.pi_a) }, ["Tampered"])
await bad("B's Fp2 components swapped", (p) => { p.pi_b[0] = [p.pi_b[0][1], p.pi_b[0][0]]; p.pi_b[1] = [p.pi_b[1][1], p.pi_b[1][0]] }, ["Tampered"])
await bad("depth-2 proof against the depth-10 key", () => {}, ["WrongKey"], 10)
await bad("three public inputs", (p, s) => { s.pop() }, ["WrongInputCount"])
await bad("five public inputs", (p, s) => { s.push("0") }, ["WrongInputCount"])
await bad("merkle root + r", (p, s) => { s[0] = (BigInt(s[0]) + R).toString() }, ["NonCanonicalInput"])
await bad("A.x + p", (p) => { p.pi_a[0] = (BigInt(p.pi_a[0]) + P).toString() }, ["NonCanonicalCoordinate"])
await bad("A.y + 1 (off the curve)", (p) => { p.pi_a[1] = add(p.pi_a[1], 1n) }, ["NotOnCurve"])
await bad("C.x + 1 (off the curve)", (p) => { p.pi_c[0] = add(p.pi_c[0], 1n) }, ["NotOnCurve"])
await bad("B.y.c0 + 1 (off the twist)", (p) => { p.pi_b[1][0] = add(p.pi_b[1][0], 1n) }, ["NotOnCurve"])
await bad("A at infinity", (p) => { p.pi_a = ["0", "1", "0"] }, ["IdentityPoint"])

for (const f of used) check(f in notes, `note for ${f}`)
for (const f of Object.keys(notes)) check(used.has(f), `note ${f} used`)

const doc = {
    algorithm: "groth16-bn254-snarkjs-json",
    generator: "interop/make-proof-vectors.mjs",
    reference: {
        snarkjs: versionOf("snarkjs"),
        "@semaphore-protocol/proof": versionOf("@semaphore-protocol/proof"),
        "@zk-kit/semaphore-artifacts": versionOf("@zk-kit/semaphore-artifacts"),
    },
    notes,
    numberOfTests: tcId - 1,
    testGroups: Object.entries(groups).map(([type, tests]) => ({
        type,
        // The Semaphore v4 ceremony verifying keys (snarkjs JSON), by depth; a test names its key with vkDepth.
        verificationKeys: { "2": read("depth-2", "verification_key.json"), "10": read("depth-10", "verification_key.json") },
        tests,
    })),
}
fs.writeFileSync(out, JSON.stringify(doc, null, 2) + "\n")
console.log(`wrote test-vectors/groth16-semaphore-v4.json: ${doc.numberOfTests} tests`)
process.exit(0)
