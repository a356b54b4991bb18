/**
 * The beneficiary-key service on the in-process network with the sample deployment: it answers
 * registered, active villages and departments with the same keys the consortium secret always gave,
 * refuses everyone else in one sentence with the right HTTP status, logs every answered request in a
 * hash chain, and anchors the chain's head on chain. Every service starts on a free port and is stopped
 * in `afterEach`, whether the test passed or not.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { expect } from "chai";
import { Wallet, ZeroHash, id } from "ethers";
import { network } from "hardhat";

import { legacyOverrides } from "../../src/chain.js";
import type { Deployment } from "../../src/deployment.js";
import { auditLog } from "../../src/keyservice/audit.js";
import { KeyServiceStore, verifyLog } from "../../src/keyservice/log.js";
import { HEADER, ROUTES, bodyHash, newNonce, signedText, type LogResponse } from "../../src/keyservice/protocol.js";
import { startKeyService, type KeyService } from "../../src/keyservice/server.js";
import { KeyServiceClient } from "../../src/relief/key-service-client.js";
import {
  DEV_RELIEF_SECRET,
  beneficiaryKey,
  householdHash,
  idCheckChar,
  maskIdNumber,
  parseReliefSecret,
} from "../../src/relief/key.js";
import { deployWithSamples } from "../../src/dev/setup.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const SECRET = parseReliefSecret(DEV_RELIEF_SECRET);
const FUSHI_VILLAGE = "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a";
const SHEN_VILLAGE = "0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec";
const CIVIL_AFFAIRS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const RURAL_AFFAIRS = "0x71bE63f3384f5fb98995898A86B02Fb2426c5788";
const CHARITY = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

function idNumber(seq: number, birth = "19620315"): string {
  const first17 = `440781${birth}${String(seq).padStart(3, "0")}`;
  return first17 + idCheckChar(first17);
}

async function fixture() {
  const d = await deployWithSamples(connection, () => {});
  return { d };
}

/** A raw signed POST, so that a test can send the very same request twice or sign it wrongly. */
async function signedPost(
  url: string,
  signer: { getAddress(): Promise<string>; signMessage(m: string): Promise<string> },
  chainId: bigint,
  path: string,
  body: unknown,
  o: { nonce?: string; timestamp?: number; account?: string } = {},
) {
  const text = JSON.stringify(body);
  const timestamp = o.timestamp ?? Date.now();
  const nonce = o.nonce ?? newNonce();
  const signature = await signer.signMessage(
    signedText({ chainId, method: "POST", path, bodyHash: bodyHash(text), timestamp, nonce }),
  );
  const headers = {
    "content-type": "application/json",
    [HEADER.account]: o.account ?? (await signer.getAddress()),
    [HEADER.timestamp]: String(timestamp),
    [HEADER.nonce]: nonce,
    [HEADER.signature]: signature,
  };
  const send = async () => {
    const res = await fetch(url + path, { method: "POST", headers, body: text });
    return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as any };
  };
  return { send, nonce };
}

describe("key service", function () {
  this.timeout(120_000);
  let service: (KeyService & { url: string }) | undefined;
  let d: Deployment;

  afterEach(async function () {
    await service?.close();
    service = undefined;
  });

  async function start(o: Partial<Parameters<typeof startKeyService>[0]> = {}) {
    ({ d } = await networkHelpers.loadFixture(fixture));
    const anchorSigner = await ethers.getSigner(RURAL_AFFAIRS);
    service = await startKeyService({
      secret: SECRET,
      deployment: d,
      anchorAddress: d.addresses.KeyServiceAnchor!,
      anchorSigner,
      overrides: await legacyOverrides(ethers.provider),
      anchorIntervalMs: 0,
      port: 0,
      ...o,
    });
    return service;
  }
  const client = async (account: string) =>
    new KeyServiceClient(service!.url, await ethers.getSigner(account), d.chainId);

  it("computes for an authorised village the same keys and household hashes as the consortium secret", async function () {
    await start();
    const ids = [idNumber(1), idNumber(2), idNumber(3, "19580312")];
    const households = ["建档立卡/0001", "建档立卡/0002"];
    const progress: number[] = [];
    const r = await (await client(FUSHI_VILLAGE)).compute(ids, households, (done) => progress.push(done));
    expect(r.keys).to.deep.equal(ids.map((x) => ({ key: beneficiaryKey(SECRET, x) })));
    expect(r.householdHashes).to.deep.equal(households.map((h) => ({ key: householdHash(SECRET, h) })));
    expect(progress).to.deep.equal([0, 5]);

    // Civil affairs (an attester) is answered too; a bad number is refused alone, masked, never echoed.
    const bad = idNumber(4).slice(0, 17) + (idNumber(4)[17] === "1" ? "2" : "1");
    const r2 = await (await client(CIVIL_AFFAIRS)).compute([idNumber(1), bad], []);
    expect(r2.keys[0]).to.deep.equal({ key: beneficiaryKey(SECRET, idNumber(1)) });
    expect(r2.keys[1]).to.deep.equal({ value: maskIdNumber(bad), problem: "the check character does not match" });
    expect(JSON.stringify(r2)).to.not.include(bad);
  });

  it("refuses an unsigned request, a signature by another account, and an unknown signer", async function () {
    await start();
    const unsigned = await fetch(service!.url + ROUTES.keys, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ idNumbers: [idNumber(1)], households: [] }),
    });
    expect(unsigned.status).to.equal(401);
    expect(((await unsigned.json()) as { message: string }).message).to.match(/^this request is not signed/);

    const village = await ethers.getSigner(FUSHI_VILLAGE);
    const forged = await signedPost(
      service!.url,
      village,
      d.chainId,
      ROUTES.keys,
      { idNumbers: [idNumber(1)], households: [] },
      {
        account: SHEN_VILLAGE,
      },
    );
    const f = await forged.send();
    expect(f.status).to.equal(401);
    expect(f.body.message).to.equal(
      `the signature is not by ${SHEN_VILLAGE}: sign the request with that account's key (over this chain, method, path, body, timestamp and nonce)`,
    );

    const stranger = Wallet.createRandom();
    const u = await signedPost(service!.url, stranger, d.chainId, ROUTES.keys, {
      idNumbers: [idNumber(1)],
      households: [],
    });
    const answer = await u.send();
    expect(answer.status).to.equal(403);
    expect(answer.body.message).to.equal(
      `${stranger.address} is not a registered organisation: the key service answers only registered VILLAGE, CIVIL_AFFAIRS, RURAL_AFFAIRS organisations`,
    );

    // A registered organisation of a kind the service does not answer (a charity).
    const c = await (await client(CHARITY)).compute([idNumber(1)], []).catch((e: Error) => e);
    expect((c as Error).message).to.match(
      /refused \(HTTP 403\): .* is a CHARITY organisation: the key service answers only VILLAGE, CIVIL_AFFAIRS, RURAL_AFFAIRS$/,
    );
    // Nothing refused was logged.
    expect((await service!.store.head()).count).to.equal(0);
  });

  it("refuses a suspended organisation at its next request, and answers it again once reinstated", async function () {
    await start();
    const shen = await client(SHEN_VILLAGE);
    expect((await shen.compute([idNumber(1)], [])).keys).to.have.length(1);
    const rural = await ethers.getSigner(RURAL_AFFAIRS);
    await (await d.registry.connect(rural).suspend(SHEN_VILLAGE, id("suspension decision"))).wait();
    const refused = await shen.compute([idNumber(1)], []).catch((e: Error) => e);
    expect((refused as Error).message).to.equal(
      `the key service at ${service!.url} refused (HTTP 403): ${SHEN_VILLAGE} (台山市都斛镇莘村村民委员会) is suspended in the organisation registry: the key service refuses it until it is reinstated`,
    );
    await (await d.registry.connect(rural).reinstate(SHEN_VILLAGE, id("reinstatement"))).wait();
    expect((await shen.compute([idNumber(1)], [])).keys).to.have.length(1);
  });

  it("refuses a replayed request and a request signed outside the time window", async function () {
    await start({ windowSeconds: 60 });
    const village = await ethers.getSigner(FUSHI_VILLAGE);
    const req = await signedPost(service!.url, village, d.chainId, ROUTES.keys, {
      idNumbers: [idNumber(1)],
      households: [],
    });
    const first = await req.send();
    expect(first.status).to.equal(200);
    expect(first.body.keys).to.deep.equal([{ key: beneficiaryKey(SECRET, idNumber(1)) }]);
    const again = await req.send();
    expect(again.status).to.equal(409);
    expect(again.body.message).to.equal("this request was sent before (its nonce is used): sign a new request");

    const old = await signedPost(
      service!.url,
      village,
      d.chainId,
      ROUTES.keys,
      { idNumbers: [idNumber(1)], households: [] },
      {
        timestamp: Date.now() - 5 * 60_000,
      },
    );
    const late = await old.send();
    expect(late.status).to.equal(401);
    expect(late.body.message).to.match(
      /^the request's timestamp is 30\d s away from the key service's clock \(at most 60 s\): check this computer's clock/,
    );
    // Signed for another chain: the signature does not cover this request.
    const other = await signedPost(service!.url, village, d.chainId + 1n, ROUTES.keys, {
      idNumbers: [idNumber(1)],
      households: [],
    });
    expect((await other.send()).status).to.equal(401);
    expect((await service!.store.head()).count).to.equal(1);
  });

  it("refuses too many requests, and too many keys, per organisation (HTTP 429 with Retry-After)", async function () {
    await start({ limits: { requestsPerMinute: 2, keysPerHour: 5 } });
    const fushi = await client(FUSHI_VILLAGE);
    await fushi.compute([idNumber(1)], []);
    await fushi.compute([idNumber(2)], []);
    const village = await ethers.getSigner(FUSHI_VILLAGE);
    const third = await (
      await signedPost(service!.url, village, d.chainId, ROUTES.keys, { idNumbers: [idNumber(3)], households: [] })
    ).send();
    expect(third.status).to.equal(429);
    expect(Number(third.retryAfter)).to.be.within(1, 60);
    expect(third.body.message).to.match(
      new RegExp(
        `^${FUSHI_VILLAGE} sent 2 requests in the last minute, the most the key service takes: retry in \\d+ s$`,
      ),
    );
    // Another village has its own allowance; 6 keys at once pass its hourly limit of 5.
    const shen = await client(SHEN_VILLAGE);
    const many = await shen
      .compute(
        [1, 2, 3, 4, 5, 6].map((n) => idNumber(n)),
        [],
      )
      .catch((e: Error) => e);
    expect((many as Error).message).to.match(
      /refused \(HTTP 429\): .* asked for 0 keys in the last hour; 6 more would pass the limit of 5 an hour/,
    );
    expect((await shen.compute([idNumber(1)], [])).keys).to.have.length(1);
    expect((await service!.store.head()).count).to.equal(3);
  });

  it("keeps an append-only log without ID numbers whose hash chain verifies, and anchors its head on chain", async function () {
    await start();
    const ids = [idNumber(11), idNumber(12)];
    await (await client(FUSHI_VILLAGE)).compute(ids, ["建档立卡/0011"]);
    await (await client(CIVIL_AFFAIRS)).compute([idNumber(13)], []);
    const res = await fetch(service!.url + ROUTES.log);
    const log = (await res.json()) as LogResponse;
    expect(log.count).to.equal(2);
    expect(log.entries.map((e) => [e.index, e.account, e.role, e.keys, e.households])).to.deep.equal([
      [1, FUSHI_VILLAGE, "VILLAGE", 2, 1],
      [2, CIVIL_AFFAIRS, "CIVIL_AFFAIRS", 1, 0],
    ]);
    for (const x of [...ids, idNumber(13), "建档立卡"]) expect(JSON.stringify(log)).to.not.include(x);
    expect(verifyLog(log.entries)).to.deep.equal({ ok: true, head: log.head, count: 2 });
    expect(log.entries[0]!.previous).to.equal(ZeroHash);

    // Not anchored yet; then on demand (a signed request), by rural affairs, the department running it.
    const anchor = d.keyServiceAnchor!;
    expect((await anchor.latest())[1]).to.equal(0n);
    const asked = await (await client(FUSHI_VILLAGE)).anchor();
    expect(asked.count).to.equal(2);
    const [head, count] = await anchor.latest();
    expect([head, count]).to.deep.equal([log.head, 2n]);
    const events = await anchor.queryFilter(anchor.filters.KeyServiceLogAnchored());
    expect(events.map((e) => [e.args.by, e.args.head, e.args.count, e.args.previousCount])).to.deep.equal([
      [RURAL_AFFAIRS, log.head, 2n, 0n],
    ]);
    expect(await auditLog(log.entries, anchor)).to.include({ chainOk: true, anchorOk: true, anchoredCount: 2 });
    // Nothing new: nothing sent.
    expect(await service!.anchorNow()).to.equal(undefined);

    // A rewritten entry breaks the chain, and a rewritten log no longer meets the anchor.
    const changed = log.entries.map((e, i) => (i === 0 ? { ...e, keys: 1 } : e));
    expect(verifyLog(changed)).to.deep.equal({
      ok: false,
      index: 1,
      reason: "entry 1 was changed after it was written",
    });
    const audit = await auditLog(log.entries.slice(0, 1), anchor);
    expect(audit.anchorOk).to.equal(false);
    expect(audit.problems).to.deep.equal([
      "the chain holds an anchor after 2 entries, but the log has only 1: entries were removed",
    ]);

    // The chain refuses a shrinking or rewritten log, and any other anchorer.
    const rural = await ethers.getSigner(RURAL_AFFAIRS);
    await expect(anchor.connect(rural).anchor(log.entries[0]!.hash, 1n))
      .to.be.revertedWithCustomError(anchor, "KeyServiceAnchorCountDecreased")
      .withArgs(2n, 1n);
    await expect(anchor.connect(rural).anchor(id("other"), 2n))
      .to.be.revertedWithCustomError(anchor, "KeyServiceAnchorHeadChanged")
      .withArgs(2n, log.head, id("other"));
    const village = await ethers.getSigner(FUSHI_VILLAGE);
    await expect(anchor.connect(village).anchor(id("x"), 3n))
      .to.be.revertedWithCustomError(anchor, "AccessManagedUnauthorized")
      .withArgs(FUSHI_VILLAGE);
  });

  it("keeps its log on disk across restarts, and the database refuses to change or remove an entry", async function () {
    const dir = await mkdtemp(join(tmpdir(), "zhixin-keyservice-store-"));
    try {
      await start({ store: await KeyServiceStore.open(dir) });
      await (await client(FUSHI_VILLAGE)).compute([idNumber(31)], []);
      const { head } = await service!.store.head();
      await service!.close();
      service = undefined;
      await start({ store: await KeyServiceStore.open(dir) });
      await (await client(FUSHI_VILLAGE)).compute([idNumber(32)], []);
      const entries = await service!.store.entries();
      expect(entries.map((e) => e.index)).to.deep.equal([1, 2]);
      expect(entries[1]!.previous).to.equal(head);
      await service!.close();
      service = undefined;
      const db = new PGlite(dir);
      try {
        for (const sql of ["UPDATE log SET keys = 0 WHERE idx = 1", "DELETE FROM log WHERE idx = 1"]) {
          const e = await db.query(sql).catch((x: Error) => x);
          expect((e as Error).message, sql).to.equal("the key service log is append-only");
        }
      } finally {
        await db.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("anchors by itself every interval once the log grew", async function () {
    await start({ anchorIntervalMs: 200 });
    await (await client(FUSHI_VILLAGE)).compute([idNumber(21)], []);
    const anchor = d.keyServiceAnchor!;
    const deadline = Date.now() + 20_000;
    while ((await anchor.latest())[1] === 0n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const [head, count] = await anchor.latest();
    expect([head, count]).to.deep.equal([(await service!.store.head()).head, 1n]);
    expect((await service!.store.anchors()).map((a) => a.count)).to.deep.equal([1]);
  });
});
