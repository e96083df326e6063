// Summarises a V8 .cpuprofile (from `node --cpu-prof` or the pipeline bench's BENCH_CPU_PROFILE):
//
//   node scripts/cpuprofile-top.mjs <file> [top=40] [caller-of-function [depth=6]]
//   INCL=routeMessage,sealJob node scripts/cpuprofile-top.mjs <file> 0
//
// Prints self time by function and by package/file; with a function name, the call chains that
// lead to it; with INCL, the inclusive time of the named functions (each counted once per sample).
// Sampled time is wall time on the main thread: a thread preempted inside a syscall (a socket
// write that wakes redis-server) is charged to that syscall.
import { readFileSync } from "node:fs";

const [file, topArg = "40", callee, depthArg = "6"] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/cpuprofile-top.mjs <file> [top] [function [depth]]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8"));
const top = Number(topArg);

/** Self time per profile node, µs. */
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

const short = (url) =>
  url.includes("node_modules/")
    ? url.replace(/.*node_modules\//, "nm/")
    : url.replace(/^file:\/\/.*?\/(dist|src|bench)\//, "$1/");
const pkg = (url) => {
  if (!url) return "(native/vm)";
  const s = short(url);
  const m = /^nm\/((@[^/]+\/)?[^/]+)/.exec(s);
  if (m) return m[1];
  return s.startsWith("node:") ? s : s.split("/").slice(0, 2).join("/");
};
const frame = (n) =>
  `${n.callFrame.functionName || "(anon)"} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

function print(title, map, n) {
  console.log(`--- ${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    const pct = ((100 * v) / total).toFixed(1).padStart(5);
    console.log(`${pct}%  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  }
}
function add(map, k, v) {
  map.set(k, (map.get(k) ?? 0) + v);
}

console.log(`${(total / 1e6).toFixed(2)} s sampled`);
const byFn = new Map();
const byPkg = new Map();
for (const [id, t] of self) {
  const n = byId.get(id);
  add(byFn, frame(n), t);
  add(byPkg, n.callFrame.url ? pkg(n.callFrame.url) : `(native) ${n.callFrame.functionName}`, t);
}
if (top > 0) {
  print("self time by function", byFn, top);
  print("self time by package or file", byPkg, 30);
}

if (callee) {
  const chains = new Map();
  for (const [id, t] of self) {
    if (byId.get(id).callFrame.functionName !== callee) continue;
    const chain = [];
    for (let q = parentOf.get(id); q !== undefined && chain.length < Number(depthArg);) {
      chain.push(frame(byId.get(q)));
      q = parentOf.get(q);
    }
    add(chains, chain.join(" < "), t);
  }
  print(`callers of ${callee}`, chains, 15);
}

if (process.env.INCL) {
  const wanted = new Set(process.env.INCL.split(","));
  const incl = new Map();
  for (const [id, t] of self) {
    const counted = new Set();
    for (let q = id; q !== undefined; q = parentOf.get(q)) {
      const name = byId.get(q).callFrame.functionName;
      if (wanted.has(name) && !counted.has(name)) {
        counted.add(name);
        add(incl, name, t);
      }
    }
  }
  print("inclusive time", incl, 50);
}
