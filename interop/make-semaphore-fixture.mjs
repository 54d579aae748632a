// Generates test-vectors/semaphore-v4/: real Semaphore v4 proofs made with the
// official npm packages and the ceremony artifacts shipped in
// @zk-kit/semaphore-artifacts (no network access), for psephos-snark's
// interoperability tests (crates/snark/tests/semaphore_v4.rs).
//
// Groth16 proofs are randomized, so the output differs on every run: the fixture
// is generated once and committed. Regenerate only on purpose:
//
//     bash interop/setup.sh && node interop/make-semaphore-fixture.mjs
//
// Every proof is checked here with snarkjs (against the verification key exported
// from the zkey) and with @semaphore-protocol/proof's verifyProof before it is
// written.

import fs from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"

import { Identity } from "@semaphore-protocol/identity"
import { Group } from "@semaphore-protocol/group"
import { generateProof, verifyProof, packGroth16Proof } from "@semaphore-protocol/proof"
import { keccak256, toBeHex } from "ethers"
import * as snarkjs from "snarkjs"

const here = path.dirname(fileURLToPath(import.meta.url))
const outRoot = path.join(here, "..", "test-vectors", "semaphore-v4")
const artifactsDir = path.join(here, "node_modules", "@zk-kit", "semaphore-artifacts")

const versionOf = (name) => JSON.parse(fs.readFileSync(path.join(here, "node_modules", name, "package.json"), "utf8")).version
const versions = {
    "@semaphore-protocol/identity": versionOf("@semaphore-protocol/identity"),
    "@semaphore-protocol/group": versionOf("@semaphore-protocol/group"),
    "@semaphore-protocol/proof": versionOf("@semaphore-protocol/proof"),
    "@zk-kit/semaphore-artifacts": versionOf("@zk-kit/semaphore-artifacts"),
    "@zk-kit/utils": versionOf("@zk-kit/utils"),
    ethers: versionOf("ethers"),
    // snarkjs used by @semaphore-protocol/proof to prove (its own pinned dependency)
    "snarkjs (prover, via @semaphore-protocol/proof)": versionOf("@semaphore-protocol/proof/node_modules/snarkjs"),
    // snarkjs used here to export the verification key and to verify
    "snarkjs (export + verify)": versionOf("snarkjs")
}

// BN254 base-field modulus q.
const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n

// Semaphore's hash() (@semaphore-protocol/proof 4.14.3): keccak256 of the value as
// a 32-byte big-endian word, shifted right by 8 bits so it is below the SNARK field.
const semaphoreHash = (value) => (BigInt(keccak256(toBeHex(value, 32))) >> 8n).toString()

// ---- arkworks' compressed point encoding, computed here independently of
// arkworks so the Rust tests can check psephos' byte layout against it.
const le32 = (x) => {
    const out = new Uint8Array(32)
    let v = BigInt(x)
    for (let i = 0; i < 32; i++) {
        out[i] = Number(v & 0xffn)
        v >>= 8n
    }
    return out
}
const neg = (x) => (Q - BigInt(x)) % Q
// arkworks sets bit 7 of the last byte when y > −y (F_q: as integers; F_q²:
// lexicographically on (c1, c0)).
const g1Compressed = ([x, y]) => {
    const out = le32(x)
    if (BigInt(y) > neg(y)) out[31] |= 0x80
    return out
}
const g2Compressed = ([[x0, x1], [y0, y1]]) => {
    const out = new Uint8Array(64)
    out.set(le32(x0), 0)
    out.set(le32(x1), 32)
    const [a1, a0, b1, b0] = [BigInt(y1), BigInt(y0), neg(y1), neg(y0)]
    if (a1 > b1 || (a1 === b1 && a0 > b0)) out[63] |= 0x80
    return out
}
const u64le = (n) => {
    const out = new Uint8Array(8)
    new DataView(out.buffer).setBigUint64(0, BigInt(n), true)
    return out
}
const concat = (parts) => Buffer.concat(parts.map((p) => Buffer.from(p)))
const hex = (bytes) => Buffer.from(bytes).toString("hex")

// ---- deterministic identities and group
const privateKeys = ["psephos-fixture-member-0", "psephos-fixture-member-1", "psephos-fixture-member-2"]
const identities = privateKeys.map((k) => new Identity(k))
const group = new Group(identities.map((id) => id.commitment))
const proverIndex = 1
const prover = identities[proverIndex]
const message = 1234567890123456789n
const scope = 20260101n

const write = (dir, name, value) => fs.writeFileSync(path.join(dir, name), `${JSON.stringify(value, null, 1)}\n`)

const depths = [group.depth, 10]
const cases = []
for (const depth of depths) {
    const wasm = path.join(artifactsDir, `semaphore-${depth}.wasm`)
    const zkey = path.join(artifactsDir, `semaphore-${depth}.zkey`)
    for (const f of [wasm, zkey]) if (!fs.existsSync(f)) throw new Error(`missing artifact ${f}: run interop/setup.sh`)

    const semaphoreProof = await generateProof(prover, group, message, scope, depth, { wasm, zkey })
    if (!(await verifyProof(semaphoreProof))) throw new Error(`depth ${depth}: verifyProof failed`)

    const vk = await snarkjs.zKey.exportVerificationKey(zkey)
    const shipped = JSON.parse(fs.readFileSync(path.join(artifactsDir, `semaphore-${depth}.json`), "utf8"))
    if (JSON.stringify(vk) !== JSON.stringify(shipped)) throw new Error(`depth ${depth}: zkey's vk differs from semaphore-${depth}.json`)

    const p = semaphoreProof.points
    // The snarkjs proof object: packGroth16Proof's inverse, with projective z = 1 as
    // snarkjs writes it.
    const proof = {
        pi_a: [p[0], p[1], "1"],
        pi_b: [[p[3], p[2]], [p[5], p[4]], ["1", "0"]],
        pi_c: [p[6], p[7], "1"],
        protocol: "groth16",
        curve: "bn128"
    }
    if (JSON.stringify(packGroth16Proof(proof)) !== JSON.stringify(p)) throw new Error("packing is not an inverse")
    const publicSignals = [semaphoreProof.merkleTreeRoot, semaphoreProof.nullifier, semaphoreHash(message), semaphoreHash(scope)]
    if (!(await snarkjs.groth16.verify(vk, publicSignals, proof))) throw new Error(`depth ${depth}: snarkjs verify failed`)

    const encodings = {
        comment:
            "arkworks compressed encodings computed by make-semaphore-fixture.mjs from the JSON above, independently of arkworks: " +
            "x little-endian (G2: x.c0 then x.c1), bit 7 of the last byte set when y > -y (G2: compared on (c1, c0))",
        proof_compact_hex: hex(concat([[0x01], g1Compressed(proof.pi_a), g2Compressed(proof.pi_b), g1Compressed(proof.pi_c)])),
        vk_compressed_hex: hex(
            concat([
                g1Compressed(vk.vk_alpha_1),
                g2Compressed(vk.vk_beta_2),
                g2Compressed(vk.vk_gamma_2),
                g2Compressed(vk.vk_delta_2),
                u64le(vk.IC.length),
                ...vk.IC.map(g1Compressed)
            ])
        )
    }

    const dir = path.join(outRoot, `depth-${depth}`)
    fs.mkdirSync(dir, { recursive: true })
    write(dir, "proof.json", proof)
    write(dir, "public.json", publicSignals)
    write(dir, "verification_key.json", vk)
    write(dir, "packed_proof.json", p)
    write(dir, "semaphore_proof.json", semaphoreProof)
    write(dir, "encodings.json", encodings)
    cases.push(`depth-${depth}`)
}

write(outRoot, "inputs.json", {
    generator: "interop/make-semaphore-fixture.mjs",
    reference: versions,
    privateKeys,
    secretScalars: identities.map((id) => id.secretScalar.toString()),
    publicKeys: identities.map((id) => id.publicKey.map((c) => c.toString())),
    commitments: identities.map((id) => id.commitment.toString()),
    groupRoot: group.root.toString(),
    groupDepth: group.depth,
    proverIndex,
    message: message.toString(),
    scope: scope.toString(),
    messageHash: semaphoreHash(message),
    scopeHash: semaphoreHash(scope),
    cases
})
console.log(`wrote ${cases.join(", ")} to ${outRoot}`)
process.exit(0)
