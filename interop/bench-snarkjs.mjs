// Reference timing for docs/benchmarks.md: snarkjs proving (and verifying) a
// Semaphore v4 membership proof for MAX_DEPTH = 20 with the ceremony artifacts of
// @zk-kit/semaphore-artifacts, warm (the first run is discarded).
//
//     bash interop/setup.sh && node interop/bench-snarkjs.mjs [depth] [runs]

import fs from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"

import { Identity } from "@semaphore-protocol/identity"
import { Group } from "@semaphore-protocol/group"
import { generateProof, verifyProof } from "@semaphore-protocol/proof"

const here = path.dirname(fileURLToPath(import.meta.url))
const depth = Number(process.argv[2] ?? 20)
const runs = Number(process.argv[3] ?? 5)
const dir = path.join(here, "node_modules", "@zk-kit", "semaphore-artifacts")
const snarkArtifacts = { wasm: path.join(dir, `semaphore-${depth}.wasm`), zkey: path.join(dir, `semaphore-${depth}.zkey`) }
if (!fs.existsSync(snarkArtifacts.zkey)) throw new Error(`no artifacts for depth ${depth}`)

const members = Array.from({ length: 64 }, (_, i) => new Identity(`bench member ${i}`))
const group = new Group(members.map((m) => m.commitment))
const prove = () => generateProof(members[5], group, 1, 2026, depth, snarkArtifacts)

await prove() // warm-up
const times = []
let proof
for (let i = 0; i < runs; i++) {
    const t = performance.now()
    proof = await prove()
    times.push(performance.now() - t)
}
const t = performance.now()
const ok = await verifyProof(proof)
const verifyMs = performance.now() - t
times.sort((a, b) => a - b)
const median = times[Math.floor(times.length / 2)]
console.log(JSON.stringify({ tool: "snarkjs (via @semaphore-protocol/proof 4.14.3)", depth, runs, proveMsMedian: Math.round(median), proveMsMin: Math.round(times[0]), verifyMs: Math.round(verifyMs), verified: ok }))
process.exit(0)
