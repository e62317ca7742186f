// The crawl of fleet.sh done by Fedify: from each seed (an actor URL), GET the actor, then, as the aggregator does,
// its services collection and attestation, every service the collection lists, and its following collection; check
// every object's eddsa-jcs-2022 proof with Fedify's verifyObject (which fetches the key its proof names through the
// document loader, here Fedify's own, allowed to reach 127.0.0.1, with an in-memory key cache as a Federation keeps
// one). An actor that does not verify ends its chaton's crawl, as in the aggregator.
// At most CONCURRENCY GETs in flight, and as many chatons in progress.
//
// Usage: node fleet-fedify.mjs FEDIFY_PEER_DIR SEEDS_FILE [CONCURRENCY]
// Prints one JSON line: {"chatons":…,"gets":…,"verified":…,"refused":[ids…],"errors":[…],"seconds":…}.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [peerDir, seedsFile, concurrencyArg] = process.argv.slice(2);
if (peerDir == null || seedsFile == null) {
  console.error("usage: node fleet-fedify.mjs FEDIFY_PEER_DIR SEEDS_FILE [CONCURRENCY]");
  process.exit(2);
}

// Fedify is installed under tests/fedify-peer, not beside this script: import its entry points from there.
const fedifyDir = path.join(peerDir, "node_modules", "@fedify", "fedify");
const fedifyPackage = JSON.parse(fs.readFileSync(path.join(fedifyDir, "package.json"), "utf8"));
const entry = (name) => import(pathToFileURL(path.join(fedifyDir, fedifyPackage.exports[name].import)).href);
const { getDocumentLoader, verifyObject } = await entry(".");
const { Object: APObject } = await entry("./vocab");

const limit = Number(concurrencyArg ?? 64);
const seeds = fs.readFileSync(seedsFile, "utf8").split("\n").filter((line) => line.length > 0);

// A slot per GET in flight, handed from one request to the next.
let active = 0;
const waiting = [];
const acquire = () => (active < limit ? (active++, Promise.resolve()) : new Promise((resolve) => waiting.push(resolve)));
const release = () => {
  const next = waiting.shift();
  if (next) next();
  else active--;
};

let gets = 0;
const network = getDocumentLoader({ allowPrivateAddress: true });
const preloaded = new Set(["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
  "https://w3id.org/security/data-integrity/v1", "https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]);
async function documentLoader(url, options) {
  if (preloaded.has(url)) return await network(url, options); // Fedify's preloaded contexts: no request
  await acquire();
  try {
    gets++;
    return await network(url, options);
  } finally {
    release();
  }
}

const keys = new Map();
const keyCache = {
  get: async (keyId) => keys.get(keyId.href),
  set: async (keyId, key) => {
    keys.set(keyId.href, key);
  },
};
const options = { documentLoader, contextLoader: documentLoader, keyCache };

let verified = 0;
const refused = [];
const errors = [];
async function check(document) {
  try {
    if ((await verifyObject(APObject, document, options)) != null) {
      verified++;
      return true;
    }
    refused.push(document.id);
  } catch (e) {
    refused.push(document.id);
    errors.push(`${document.id}: ${e?.name ?? "Error"}: ${e?.message ?? e}`);
  }
  return false;
}

const get = async (url) => (await documentLoader(url)).document;
const link = (value) => (typeof value === "string" ? value : value?.id);

async function crawl(actorUrl) {
  const actor = await get(actorUrl);
  if (!(await check(actor))) return;
  const [collection, attestation] = await Promise.all([get(link(actor.services)), get(link(actor.charterAttestation))]);
  const items = collection.orderedItems ?? collection.items ?? [];
  const services = await Promise.all(items.map((item) => get(link(item))));
  await Promise.all([collection, attestation, ...services].map(check));
  await get(link(actor.following));
}

const started = performance.now();
let next = 0;
await Promise.all(Array.from({ length: Math.min(limit, seeds.length) }, async () => {
  while (next < seeds.length) {
    const seed = seeds[next++];
    try {
      await crawl(seed);
    } catch (e) {
      errors.push(`${seed}: ${e?.name ?? "Error"}: ${e?.message ?? e}`);
    }
  }
}));
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ chatons: seeds.length, gets, verified, refused: refused.sort(), errors: errors.slice(0, 20), errorCount: errors.length, seconds }));
