// A Fedify 2.x peer for the ChatonsFed interop tests. It serves one actor (RSA + Ed25519 keys),
// its WebFinger, inbox, outbox and collections on 127.0.0.1, and a JSON control API under
// /_control/ that makes Fedify follow, look up, verify and sign on the tests' behalf.
// Run it with Node >= 22: `node_modules/.bin/node peer.mjs --help` (see README.md).
// Loopback only: allowPrivateAddress is a test-only Fedify option.

import http from "node:http";
import fs from "node:fs";
import readline from "node:readline";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";

import {
  createFederation,
  detachSignature,
  exportJwk,
  getDocumentLoader,
  importJwk,
  MemoryKvStore,
  signObject,
  verifyObject,
  verifyProof,
} from "@fedify/fedify";
import {
  Accept,
  Add,
  Application,
  Create,
  DataIntegrityProof,
  Delete,
  Document,
  Endpoints,
  Follow,
  getTypeId,
  Group,
  isActor,
  Object as APObject,
  OrderedCollection,
  Organization,
  Person,
  Place,
  Reject,
  Service,
  Undo,
  Update,
} from "@fedify/fedify/vocab";
import { configure, getStreamSink } from "@logtape/logtape";

const USAGE = `Usage: node peer.mjs serve [options]

Serves a Fedify actor on 127.0.0.1 and prints "READY <base-url> <actor-url>" on stdout once it
listens. Exits on SIGTERM, SIGINT, or when stdin closes (unless --no-stdin).

Options:
  --port N             port on 127.0.0.1 (default 0: any free port)
  --name NAME          actor identifier and preferredUsername (default "peer")
  --type T             Person|Application|Service|Organization|Group (default Person)
  --keys FILE          JSON file holding the actor's RSA and Ed25519 keys (JWK); created when
                       missing. Without it, new keys are made at each start.
  --first-knock SPEC   rfc9421 | draft-cavage: the signature tried first on an unknown origin
                       (Fedify's default is rfc9421; it retries once with the other on >= 400)
  --reject-rfc9421     the inbox answers 401 to RFC 9421-signed POSTs (forces a double-knock)
  --reject-cavage      the inbox answers 401 to draft-cavage-signed POSTs
  --no-auto-accept     do not answer a Follow with an Accept
  --chaton             serve a chaton (implies --type Organization): the actor carries the chatons terms of
                       PROTOCOL.md (ChatonsFed @context, structureType, membership, country, services,
                       charterAttestation, ...), with its services collection, two HostedService objects
                       and a CharterAttestation; each signed with an eddsa-jcs-2022 proof by signObject
  --log LEVEL          Fedify log level on stderr: debug|info|warning|error (default warning)
  --no-stdin           keep running when stdin closes
  --help

Control API (JSON in, JSON out, same port):
  GET  /_control/state             actor, followers, received activities, accepts, rejects, errors
  POST /_control/follow            {"actor": URL, "knock"?: SPEC, "wait"?: SECONDS}
  POST /_control/lookup            {"url": URL}
  POST /_control/verify-proof      {"url": URL} | {"json": {...}, "documents"?: [{...}, ...]}
  POST /_control/verify-credential {"url": URL} | {"json": {...}}   (verifyProof only: a VC 2.0 document)
  POST /_control/sign              {"json": {...}, "keyId"?: URL}
  POST /_control/webfinger-lookup  {"handle": "name@host[:port]", "origin": "http://127.0.0.1:PORT"}
  POST /_control/update-chaton     {"name"?: TEXT, "summary"?: TEXT, "structureType"?: TYPE, "embed"?: BOOL}
                                   (with --chaton) changes the profile and sends an Update to the followers
`;

// ------------------------------------------------------------------ options

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: "string", default: "0" },
    name: { type: "string", default: "peer" },
    type: { type: "string", default: "Person" },
    keys: { type: "string" },
    "first-knock": { type: "string" },
    "reject-rfc9421": { type: "boolean", default: false },
    "reject-cavage": { type: "boolean", default: false },
    "no-auto-accept": { type: "boolean", default: false },
    chaton: { type: "boolean", default: false },
    log: { type: "string", default: "warning" },
    "no-stdin": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (opt.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if ((positionals[0] ?? "serve") !== "serve" || positionals.length > 1) {
  process.stderr.write(USAGE);
  process.exit(2);
}

const HOST = "127.0.0.1";
const CAVAGE = "draft-cavage-http-signatures-12";
function signatureSpec(name) {
  if (name == null) return undefined;
  if (name === "rfc9421") return "rfc9421";
  if (name === "cavage" || name === "draft-cavage" || name === CAVAGE) return CAVAGE;
  throw new Error(`unknown signature spec "${name}": use rfc9421 or draft-cavage`);
}

const CHATON = opt.chaton;
if (CHATON && opt.type !== "Person" && opt.type !== "Organization") {
  process.stderr.write(`--chaton serves an Organization; --type ${opt.type} does not go with it\n`);
  process.exit(2);
}
const IDENT = opt.name;
const firstKnock = signatureSpec(opt["first-knock"]);

// Fedify logs go to stderr; stdout carries only the READY line.
await configure({
  sinks: { stderr: getStreamSink(Writable.toWeb(process.stderr)) },
  loggers: [
    { category: "fedify", sinks: ["stderr"], lowestLevel: opt.log },
    { category: ["logtape", "meta"], sinks: ["stderr"], lowestLevel: "error" },
  ],
});

// ------------------------------------------------------------------ keys

async function generateKeys() {
  // RSA 2048 rather than Fedify's default 4096: a test peer starts in milliseconds instead of seconds.
  const rsa = await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  );
  const ed25519 = await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"]);
  return { rsa, ed25519 };
}

async function loadKeys(file) {
  if (file != null && fs.existsSync(file)) {
    const saved = JSON.parse(fs.readFileSync(file, "utf8"));
    const pair = async (p) => ({
      privateKey: await importJwk(p.privateKey, "private"),
      publicKey: await importJwk(p.publicKey, "public"),
    });
    return { rsa: await pair(saved.rsa), ed25519: await pair(saved.ed25519) };
  }
  const keys = await generateKeys();
  if (file != null) {
    const pair = async (p) => ({ privateKey: await exportJwk(p.privateKey), publicKey: await exportJwk(p.publicKey) });
    const saved = { rsa: await pair(keys.rsa), ed25519: await pair(keys.ed25519) };
    fs.writeFileSync(file, JSON.stringify(saved, null, 2), { mode: 0o600 });
  }
  return keys;
}

const keys = await loadKeys(opt.keys);

// ------------------------------------------------------------------ chaton (--chaton)

// The ChatonsFed @context (PROTOCOL.md section 3), read from the specification so it never drifts.
const CHATONS_CONTEXT = JSON.parse(fs.readFileSync(new URL("../../spec/context.jsonld", import.meta.url), "utf8"))["@context"];
const CHATONS_NS = "https://chatons.org/ns#";

// Fedify's vocabulary has no chatons terms, and its toJsonLd() drops what it does not know. These subclasses
// keep them as compact JSON-LD members under the ChatonsFed context and add them to Fedify's own compaction
// of the standard properties under that same context. signObject hashes that form (createProof compacts
// the object without its proofs), and the dispatchers serve it with the proof, so the proof covers every term.
function withChatonsTerms(Base, { typeId, type } = {}) {
  return class extends Base {
    chatonsTerms = {};

    static get typeId() {
      return typeId ?? Base.typeId;
    }

    clone(values = {}, options = {}) {
      const copy = super.clone(values, options);
      copy.chatonsTerms = this.chatonsTerms;
      return copy;
    }

    async toJsonLd(options = {}) {
      if (options.format === "expand") return await super.toJsonLd(options);
      // The dispatchers pass their Context as the options: only its loader is wanted here.
      const context = options.format === "compact" && options.context != null ? options.context : CHATONS_CONTEXT;
      const compact = await super.toJsonLd({ contextLoader: options.contextLoader, format: "compact", context });
      return { ...compact, ...(type != null ? { type } : {}), ...this.chatonsTerms };
    }
  };
}

const ChatonOrganization = withChatonsTerms(Organization);
const HostedService = withChatonsTerms(APObject, { typeId: new URL(`${CHATONS_NS}HostedService`), type: ["Object", "HostedService"] });
const CharterAttestation = withChatonsTerms(Document, { typeId: new URL(`${CHATONS_NS}CharterAttestation`), type: ["Document", "CharterAttestation"] });
const ServicesCollection = withChatonsTerms(OrderedCollection);

const ActorClass = CHATON ? ChatonOrganization : { Person, Application, Service, Organization, Group }[opt.type];
if (ActorClass == null) {
  process.stderr.write(`unknown --type ${opt.type}\n`);
  process.exit(2);
}

// What the chaton publishes; update-chaton changes the profile and moves "updated" on.
const started = new Date(Math.floor(Date.now() / 1000) * 1000);
const chaton = {
  profile: { name: `Fedify chaton ${IDENT}`, summary: "A chaton served by Fedify", structureType: "ASSOCIATION" },
  published: started.toISOString().replace(".000Z", "Z"),
  updated: started.toISOString().replace(".000Z", "Z"),
  services: [
    {
      slug: "pad",
      name: "Pad (Etherpad)",
      summary: "Collaborative writing",
      url: "https://pad.fedify-chaton.example/",
      category: "collaborative-writing",
      software: { name: "Etherpad", version: "2.2.6", license: "Apache-2.0", sourceCode: "https://github.com/ether/etherpad-lite" },
      registration: "none",
    },
    {
      slug: "cloud",
      name: "Cloud (Nextcloud)",
      summary: "Files and calendars",
      url: "https://cloud.fedify-chaton.example/",
      category: "file-sharing",
      software: { name: "Nextcloud", version: "30.0.2", license: "AGPL-3.0-or-later" },
      registration: "member",
    },
  ],
};
const signedDocuments = new Map(); // path of a document -> its signed vocabulary object, until the next update

const chatonUri = (ctx, name) => new URL(`${ctx.getActorUri(IDENT).href}/${name}`);

// Signs with the actor's Ed25519 Multikey (the one in assertionMethod), once per version of the document.
async function signedOnce(ctx, key, build) {
  if (!signedDocuments.has(key)) {
    const pairs = await ctx.getActorKeyPairs(IDENT);
    const ed25519 = pairs.find((p) => p.privateKey.algorithm.name === "Ed25519");
    const loaders = { contextLoader: ctx.contextLoader, documentLoader: ctx.documentLoader };
    signedDocuments.set(key, signObject(await build(), ed25519.privateKey, ed25519.multikey.id, loaders));
  }
  return await signedDocuments.get(key);
}

function chatonActor(ctx, values) {
  return signedOnce(ctx, "actor", () => {
    const actor = new ChatonOrganization({ ...values, name: chaton.profile.name, summary: chaton.profile.summary,
      url: new URL("https://fedify-chaton.example/"),
      location: new Place({ name: "Valence", latitude: 44.9334, longitude: 4.8924 }) });
    // published and updated are ActivityStreams terms, written here as strings: Fedify's vocabulary wants
    // Temporal instants, and the Temporal polyfill it uses is not a dependency of this peer.
    actor.chatonsTerms = {
      published: chaton.published,
      updated: chaton.updated,
      discoverable: true,
      structureType: chaton.profile.structureType,
      membership: { status: "ACTIVE", since: "2024-05-01" },
      country: "FR",
      services: chatonUri(ctx, "services").href,
      charterAttestation: chatonUri(ctx, "attestation").href,
      contact: "mailto:contact@fedify-chaton.example",
    };
    return actor;
  });
}

function hostedService(ctx, slug) {
  const service = chaton.services.find((s) => s.slug === slug);
  if (service == null) return null;
  return signedOnce(ctx, `services/${slug}`, () => {
    const document = new HostedService({
      id: chatonUri(ctx, `services/${slug}`),
      attribution: ctx.getActorUri(IDENT),
      name: service.name,
      summary: service.summary,
      url: new URL(service.url),
    });
    document.chatonsTerms = {
      category: service.category,
      software: service.software,
      registration: service.registration,
      capacity: "open",
      status: "ok",
      hosting: { serverType: "PHYSICAL", providerType: "HOSTED", country: "FR" },
      published: chaton.published,
      updated: chaton.published,
    };
    return document;
  });
}

function servicesCollection(ctx) {
  return signedOnce(ctx, "services", () => {
    const items = chaton.services.map((s) => chatonUri(ctx, `services/${s.slug}`));
    const document = new ServicesCollection({ id: chatonUri(ctx, "services"), attribution: ctx.getActorUri(IDENT), totalItems: items.length, items });
    return document;
  });
}

function charterAttestation(ctx) {
  return signedOnce(ctx, "attestation", () => {
    const document = new CharterAttestation({ id: chatonUri(ctx, "attestation"), attribution: ctx.getActorUri(IDENT), name: `Charter declaration of ${IDENT}` });
    document.chatonsTerms = {
      charter: { url: "https://chatons.org/fr/charte", version: "2016-v1" },
      criteria: [
        { id: "hoster.control", met: true },
        { id: "alternative.no-ads", met: true },
        { id: "open.free-software", met: true },
        { id: "solidarity.spread", met: false, note: "Not yet." },
      ],
      published: chaton.published,
      updated: chaton.published,
    };
    return document;
  });
}

// ------------------------------------------------------------------ state

const followers = new Map(); // follower actor id -> { id, inboxId, endpoints }
const received = []; // every activity the inbox accepted, as JSON-LD
const accepts = []; // Accept activities received
const rejects = []; // Reject activities received
const errors = []; // inbox and delivery errors, newest last (at most 50)
const replyWaiters = new Map(); // Follow id -> resolve(activity JSON)
const kv = new MemoryKvStore();

function recordError(where, error) {
  const message = `${where}: ${error?.name ?? "Error"}: ${error?.message ?? error}`;
  errors.push({ at: new Date().toISOString(), message });
  if (errors.length > 50) errors.shift();
  process.stderr.write(`${message}\n`);
}

// ------------------------------------------------------------------ federation

const federation = createFederation({
  kv,
  allowPrivateAddress: true, // tests only: lets Fedify fetch 127.0.0.1
  ...(firstKnock ? { firstKnock } : {}),
});

async function actorValues(ctx) {
  const pairs = await ctx.getActorKeyPairs(IDENT);
  return {
    id: ctx.getActorUri(IDENT),
    preferredUsername: IDENT,
    name: `Fedify peer ${IDENT}`,
    summary: "Fedify test peer for ChatonsFed",
    url: ctx.getActorUri(IDENT),
    inbox: ctx.getInboxUri(IDENT),
    outbox: ctx.getOutboxUri(IDENT),
    followers: ctx.getFollowersUri(IDENT),
    following: ctx.getFollowingUri(IDENT),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    publicKey: pairs[0].cryptographicKey, // the RSA key: HTTP signatures
    assertionMethods: pairs.map((p) => p.multikey), // RSA and Ed25519 Multikeys
    manuallyApprovesFollowers: opt["no-auto-accept"],
  };
}

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== IDENT) return null;
    const values = await actorValues(ctx);
    return CHATON ? await chatonActor(ctx, values) : new ActorClass(values);
  })
  // Order matters: Fedify signs HTTP requests with the first RSA key and proofs with the Ed25519 one.
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === IDENT ? [keys.rsa, keys.ed25519] : []));

function settleReply(activity, json) {
  const followId = activity.objectId?.href;
  if (followId != null) replyWaiters.get(followId)?.(json);
}

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    received.push(await follow.toJsonLd());
    if (follow.id == null || follow.actorId == null || follow.objectId == null) return;
    const target = ctx.parseUri(follow.objectId);
    if (target?.type !== "actor" || target.identifier !== IDENT) return;
    const follower = await follow.getActor(ctx);
    if (follower == null) return;
    followers.set(follower.id.href, { id: follower.id, inboxId: follower.inboxId, endpoints: follower.endpoints });
    if (opt["no-auto-accept"]) return;
    await ctx.sendActivity({ identifier: IDENT }, follower, new Accept({ actor: follow.objectId, object: follow }));
  })
  .on(Accept, async (_ctx, accept) => {
    // The Follow inside is ours and not dereferenceable: read its id, never accept.getObject().
    const json = await accept.toJsonLd();
    received.push(json);
    accepts.push(json);
    settleReply(accept, json);
  })
  .on(Reject, async (_ctx, reject) => {
    const json = await reject.toJsonLd();
    received.push(json);
    rejects.push(json);
    settleReply(reject, json);
  })
  .on(Undo, async (ctx, undo) => {
    received.push(await undo.toJsonLd());
    const object = await undo.getObject(ctx);
    if (object instanceof Follow && undo.actorId != null) followers.delete(undo.actorId.href);
  })
  // Add, Create, Update and Delete are recorded with the id and Fedify's own reading of their object, so a test
  // can check that a follower really received and understood what a node published.
  .on(Add, (ctx, activity) => recordPublication(ctx, activity))
  .on(Create, (ctx, activity) => recordPublication(ctx, activity))
  .on(Update, (ctx, activity) => recordPublication(ctx, activity))
  .on(Delete, (ctx, activity) => recordPublication(ctx, activity))
  .onError((_ctx, error) => recordError("inbox", error));

async function recordPublication(_ctx, activity) {
  const json = await activity.toJsonLd();
  json._objectId = activity.objectId?.href ?? null;
  json._targetId = activity.targetId?.href ?? null;
  received.push(json);
}

if (CHATON) {
  // Fedify's custom object dispatchers serve the chaton's documents (one route per vocabulary class).
  const own = (values, serve) => (values.identifier === IDENT ? serve() : null);
  federation.setObjectDispatcher(ServicesCollection, "/users/{identifier}/services", (ctx, values) =>
    own(values, () => servicesCollection(ctx)));
  federation.setObjectDispatcher(HostedService, "/users/{identifier}/services/{service}", (ctx, values) =>
    own(values, () => hostedService(ctx, values.service)));
  federation.setObjectDispatcher(CharterAttestation, "/users/{identifier}/attestation", (ctx, values) =>
    own(values, () => charterAttestation(ctx)));
}

federation.setOutboxDispatcher("/users/{identifier}/outbox", async (_ctx, identifier) =>
  identifier === IDENT ? { items: [] } : null);
federation
  .setFollowersDispatcher("/users/{identifier}/followers", async (_ctx, identifier) =>
    identifier === IDENT ? { items: [...followers.values()] } : null)
  .setCounter((_ctx, identifier) => (identifier === IDENT ? followers.size : null));
federation.setFollowingDispatcher("/users/{identifier}/following", async (_ctx, identifier) =>
  identifier === IDENT ? { items: [] } : null);

// ------------------------------------------------------------------ control commands

let baseUrl = null; // set once listening
const actorUrl = () => `${baseUrl}/users/${IDENT}`;
const context = () => federation.createContext(new URL(baseUrl), undefined);
const networkLoader = getDocumentLoader({ allowPrivateAddress: true });
const describe = (e) => `${e?.name ?? "Error"}: ${e?.message ?? e}`;

function required(args, name) {
  const value = args[name];
  if (value == null || value === "") throw new Error(`"${name}" is required`);
  return value;
}

async function state() {
  return {
    actor: actorUrl(),
    followers: [...followers.keys()],
    received,
    accepts,
    rejects,
    errors,
  };
}

// Sends a Follow to ACTOR (looked up first, so its id must have the origin of its URL). "knock"
// forces the first signature flavour for the inbox's origin by setting Fedify's remembered choice.
async function follow(args) {
  const ctx = context();
  const target = await ctx.lookupObject(required(args, "actor"));
  if (target == null || !isActor(target)) return { ok: false, error: `${args.actor} is not an actor Fedify can read` };
  const origin = new URL(target.inboxId.href).origin;
  const rememberedKey = ["_fedify", "httpMessageSignaturesSpec", origin];
  if (args.knock != null) await kv.set(rememberedKey, signatureSpec(args.knock));
  const knockBefore = (await kv.get(rememberedKey)) ?? firstKnock ?? "rfc9421";
  const activity = new Follow({
    id: new URL(`${actorUrl()}/follows/${crypto.randomUUID()}`),
    actor: ctx.getActorUri(IDENT),
    object: target.id,
  });
  const followId = activity.id.href;
  const waitMs = Math.max(0, Number(args.wait ?? 10)) * 1000;
  const reply = new Promise((resolve) => {
    replyWaiters.set(followId, resolve);
    if (waitMs === 0) resolve(null);
    else setTimeout(() => resolve(null), waitMs).unref();
  });
  const result = { followId, target: target.id.href, inbox: target.inboxId.href, knockBefore };
  try {
    await ctx.sendActivity({ identifier: IDENT }, target, activity, { immediate: true });
  } catch (e) {
    replyWaiters.delete(followId);
    recordError(`follow ${target.id.href}`, e);
    return { ok: false, ...result, error: describe(e), knockRemembered: (await kv.get(rememberedKey)) ?? null };
  }
  const answer = await reply;
  replyWaiters.delete(followId);
  return {
    ok: true,
    ...result,
    knockRemembered: (await kv.get(rememberedKey)) ?? null,
    reply: answer,
    accepted: answer != null && accepts.includes(answer),
  };
}

async function lookup(args) {
  const url = required(args, "url");
  let object;
  try {
    object = await context().lookupObject(url);
  } catch (e) {
    return { ok: false, url, error: describe(e) };
  }
  if (object == null) return { ok: false, url, error: "lookupObject returned null (unreachable, unparsable, or an id of another origin)" };
  return {
    ok: true,
    url,
    id: object.id?.href ?? null,
    type: getTypeId(object).href,
    className: object.constructor.name,
    isActor: isActor(object),
    jsonLd: await object.toJsonLd(),
  };
}

async function fetchJson(url, accept = "application/activity+json") {
  const response = await fetch(url, { headers: { Accept: accept } });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return await response.json();
}

// Checks every proof with Fedify's verifyProof, then the whole object with verifyObject (which also
// requires each actor/attributedTo to be the controller of a valid proof's key). "documents" are
// served in place of the network to this call's loader, by id (for keys under unreachable origins).
async function verifyProofCommand(args) {
  let json = args.json ?? (args.url != null ? await fetchJson(args.url) : null);
  if (json == null || typeof json !== "object" || Array.isArray(json)) throw new Error(`"url" or a JSON object "json" is required`);
  const local = new Map();
  for (const doc of args.documents ?? []) {
    if (typeof doc?.id === "string") local.set(doc.id.replace(/#.*$/, ""), doc);
  }
  const loader = async (url, options) => {
    const doc = local.get(url.replace(/#.*$/, ""));
    return doc != null ? { contextUrl: null, documentUrl: url, document: doc } : await networkLoader(url, options);
  };
  const loaders = { documentLoader: loader, contextLoader: loader };
  // As Fedify's inbox does: a legacy RsaSignature2017 "signature" is added after the proof, so drop it first.
  const ldSignatureDetached = "signature" in json;
  if (ldSignatureDetached) json = detachSignature(json);
  const result = { id: json.id ?? null, ldSignatureDetached, proofs: [] };
  let object;
  try {
    object = await APObject.fromJsonLd(json, loaders);
  } catch (e) {
    return { ...result, valid: false, error: describe(e) };
  }
  result.type = getTypeId(object).href;
  for await (const proof of object.getProofs(loaders)) {
    const key = await verifyProof(json, proof, loaders);
    result.proofs.push({
      verificationMethod: proof.verificationMethodId?.href ?? null,
      cryptosuite: proof.cryptosuite ?? null,
      created: proof.created?.toString() ?? null,
      valid: key != null,
      keyController: key?.controllerId?.href ?? null,
    });
  }
  try {
    result.verifyObject = (await verifyObject(APObject, json, loaders)) != null;
  } catch (e) {
    result.verifyObject = false;
    result.verifyObjectError = describe(e);
  }
  result.valid = result.proofs.length > 0 && result.proofs.every((p) => p.valid) && result.verifyObject;
  if (!result.valid && result.proofs.length === 0) result.error = "no proof Fedify can read (is data-integrity/v1 in @context?)";
  return result;
}

// Checks the proof of a verifiable credential (or a status list) with Fedify's verifyProof alone. The document is
// never read as ActivityStreams: its @context is the VC 2.0 one, which Fedify does not preload, and this peer never
// fetches a context from the network. The proof (which carries no @context) is read with the data-integrity context;
// verifyProof then fetches the key named by verificationMethod (an actor's Multikey) and checks the eddsa-jcs-2022
// signature over the document as given.
async function verifyCredential(args) {
  const json = args.json ?? (args.url != null ? await fetchJson(args.url, "application/ld+json") : null);
  if (json == null || typeof json !== "object" || Array.isArray(json)) throw new Error(`"url" or a JSON object "json" is required`);
  const loaders = { documentLoader: networkLoader, contextLoader: networkLoader };
  const result = { id: json.id ?? null, proofs: [] };
  for (const item of [json.proof ?? []].flat()) {
    let proof;
    try {
      proof = await DataIntegrityProof.fromJsonLd({ "@context": "https://w3id.org/security/data-integrity/v1", ...item }, loaders);
    } catch (e) {
      result.proofs.push({ valid: false, error: describe(e) });
      continue;
    }
    const key = await verifyProof(json, proof, loaders);
    result.proofs.push({
      verificationMethod: proof.verificationMethodId?.href ?? null,
      cryptosuite: proof.cryptosuite ?? null,
      created: proof.created?.toString() ?? null,
      valid: key != null,
      keyController: key?.controllerId?.href ?? null,
    });
  }
  result.valid = result.proofs.length > 0 && result.proofs.every((p) => p.valid);
  if (result.proofs.length === 0) result.error = "the document has no proof";
  return result;
}

// Adds an eddsa-jcs-2022 proof with Fedify's signObject and this actor's Ed25519 key. signObject signs
// Fedify's own serialisation of the object, so terms its vocabulary does not know are not covered:
// "signed" is that serialisation, which verifies; "attached" is the input with the proof added.
async function sign(args) {
  const json = required(args, "json");
  const { proof: _ignored, ...unsigned } = json;
  const loaders = { documentLoader: networkLoader, contextLoader: networkLoader };
  const object = await APObject.fromJsonLd(unsigned, loaders);
  const pairs = await context().getActorKeyPairs(IDENT);
  const keyId = new URL(args.keyId ?? pairs.find((p) => p.privateKey.algorithm.name === "Ed25519").multikey.id.href);
  const signedObject = await signObject(object, keys.ed25519.privateKey, keyId, { ...loaders, context: json["@context"] });
  const proofs = [];
  for await (const p of signedObject.getProofs(loaders)) proofs.push(p);
  const proof = await proofs[proofs.length - 1].toJsonLd({ format: "compact", contextLoader: networkLoader });
  delete proof["@context"];
  return {
    keyId: keyId.href,
    signed: await signedObject.toJsonLd({ format: "compact", contextLoader: networkLoader, context: json["@context"] }),
    attached: { ...unsigned, proof },
  };
}

// Fedify's WebFinger client always uses https for acct: handles, so on loopback the peer does the
// plain-http GET itself and then hands the self link to lookupObject.
async function webfingerLookup(args) {
  const handle = String(required(args, "handle")).replace(/^@/, "").replace(/^acct:/, "");
  const origin = new URL(required(args, "origin")).origin;
  const resource = `acct:${handle}`;
  const url = `${origin}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`;
  const response = await fetch(url, { headers: { Accept: "application/jrd+json, application/json" } });
  const result = { resource, url, status: response.status, contentType: response.headers.get("content-type") };
  if (!response.ok) return { ok: false, ...result, error: `GET ${url} answered ${response.status}` };
  let jrd;
  try {
    jrd = await response.json();
  } catch (e) {
    return { ok: false, ...result, error: `the answer is not JSON: ${describe(e)}` };
  }
  const isActivityPub = (type) =>
    type === "application/activity+json" ||
    (typeof type === "string" && type.startsWith("application/ld+json") && type.includes("https://www.w3.org/ns/activitystreams"));
  const self = (jrd.links ?? []).find((l) => l?.rel === "self" && isActivityPub(l.type) && typeof l.href === "string");
  if (self == null) return { ok: false, ...result, jrd, error: "no self link of type application/activity+json" };
  return { ...(await lookup({ url: self.href })), ...result, jrd, self: self.href };
}

// Changes the chaton's profile, signs it again with a later "updated", and sends an Update naming the actor
// to every follower (Fedify signs the activity and its requests as for any other activity). With "embed", the
// Update carries the signed actor itself, as Fedify serialises it inside an activity: without the terms its
// vocabulary does not know, so that embedded copy's proof no longer matches (the node's copy still does).
async function updateChaton(args) {
  if (!CHATON) return { ok: false, error: "the peer does not serve a chaton (start it with --chaton)" };
  for (const field of ["name", "summary", "structureType"]) {
    if (args[field] != null) chaton.profile[field] = String(args[field]);
  }
  const previous = Date.parse(chaton.updated);
  const now = Math.max(Math.floor(Date.now() / 1000) * 1000, previous + 1000);
  chaton.updated = new Date(now).toISOString().replace(".000Z", "Z");
  signedDocuments.delete("actor");
  const ctx = context();
  const activity = new Update({
    id: new URL(`${actorUrl()}/updates/${crypto.randomUUID()}`),
    actor: ctx.getActorUri(IDENT),
    object: args.embed ? await chatonActor(ctx, await actorValues(ctx)) : ctx.getActorUri(IDENT),
    to: ctx.getFollowersUri(IDENT),
  });
  try {
    await ctx.sendActivity({ identifier: IDENT }, "followers", activity, { immediate: true });
  } catch (e) {
    recordError("update-chaton", e);
    return { ok: false, error: describe(e) };
  }
  return { ok: true, activityId: activity.id.href, updated: chaton.updated, followers: [...followers.keys()] };
}

const commands = {
  "update-chaton": updateChaton,
  follow,
  lookup,
  "verify-proof": verifyProofCommand,
  "verify-credential": verifyCredential,
  sign,
  "webfinger-lookup": webfingerLookup,
};

// ------------------------------------------------------------------ HTTP

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

const jsonResponse = (value, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { "Content-Type": "application/json" } });

async function control(method, name, body) {
  try {
    if (name === "state") return method === "GET" ? jsonResponse(await state()) : jsonResponse({ error: "GET expected" }, 405);
    const command = commands[name];
    if (command == null) return jsonResponse({ error: `unknown control command "${name}"` }, 404);
    if (method !== "POST") return jsonResponse({ error: "POST expected" }, 405);
    const args = body.length ? JSON.parse(body.toString("utf8")) : {};
    return jsonResponse(await command(args));
  } catch (e) {
    return jsonResponse({ ok: false, error: describe(e) }, 500);
  }
}

function refusal(headers) {
  const rfc9421 = headers.has("signature-input");
  const cavage = !rfc9421 && headers.has("signature");
  if ((opt["reject-rfc9421"] && rfc9421) || (opt["reject-cavage"] && cavage)) {
    return new Response(`this test peer refuses ${rfc9421 ? "RFC 9421" : "draft-cavage"} signatures`, {
      status: 401,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return null;
}

async function handle(req, res) {
  const body = await readBody(req);
  // Fedify compares an RFC 9421 @target-uri with request.url: rebuild the URL the client used.
  const url = new URL(req.url, `http://${req.headers.host ?? `${HOST}:${port}`}`);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  let response;
  if (url.pathname.startsWith("/_control/")) {
    response = await control(req.method, url.pathname.slice("/_control/".length), body);
  } else {
    response = req.method === "POST" ? refusal(headers) : null;
    if (response == null) {
      const request = new Request(url, {
        method: req.method,
        headers,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
      });
      try {
        response = await federation.fetch(request, { contextData: undefined });
      } catch (e) {
        recordError(`${req.method} ${url.pathname}`, e);
        response = new Response("internal error", { status: 500 });
      }
    }
  }
  const responseBody = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(responseBody);
}

// ------------------------------------------------------------------ run

let port = Number(opt.port);
const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    recordError("handler", e);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.keepAliveTimeout = 5000;
await new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(port, HOST, resolve);
});
port = server.address().port;
baseUrl = `http://${HOST}:${port}`;

let stopping = false;
function shutdown() {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
if (!opt["no-stdin"]) {
  readline.createInterface({ input: process.stdin }).on("close", shutdown);
}

process.stdout.write(`READY ${baseUrl} ${actorUrl()}\n`);
