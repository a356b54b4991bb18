/**
 * `npm run demo`: the whole product on Hardhat's in-process network with no set-up: deploy,
 * register the sample organisations, tell the flood-relief story of the charity ledger, the
 * 新会陈皮 story of the traceability ledger and the 台山 industry-support story of the
 * poverty-relief ledger (its keys from the key service, started in-process with the development
 * secret and anchoring its request log on chain), print the registry, then index the demo's chain and serve the explorer
 * over it until Ctrl-C (at ZHIXIN_EXPLORER_PORT, 8080 by default, where the demo's QR codes
 * point). With ZHIXIN_DEMO_EXIT=1 (CI) it checks the explorer answers and exits.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { BrowserProvider } from "ethers";
import { network } from "hardhat";

import { legacyOverrides } from "../src/chain.js";
import { runFloodReliefStory } from "../src/dev/charity-story.js";
import { RELIEF_ACCOUNTS, runTaishanStory } from "../src/dev/relief-story.js";
import { runChenpiStory } from "../src/dev/trace-story.js";
import { publicBaseUrl } from "../src/trace/qr.js";

// The demo's public explorer is the one it serves here (QR codes are printed for it); a deployment sets
// ZHIXIN_PUBLIC_URL to its real public address.
const demoPublicUrl = publicBaseUrl(process.env.ZHIXIN_PUBLIC_URL ?? "http://127.0.0.1:8080");
import { printTable } from "../src/format.js";
import { startExplorer } from "../src/indexer/server.js";
import { startKeyService } from "../src/keyservice/server.js";
import { KeyServiceClient } from "../src/relief/key-service-client.js";
import { appendPaymentNotices } from "../src/relief/notices.js";
import { DEV_RELIEF_SECRET, parseReliefSecret } from "../src/relief/key.js";
import { listOrganisations } from "../src/registry.js";
import { deployWithSamples } from "../src/dev/setup.js";

const connection = await network.getOrCreate();
const d = await deployWithSamples(connection);

console.log("\n智信链 Zhixin Ledger — organisation registry 机构登记\n");
printTable(
  ["kind 类别", "name 名称", "credit code 统一社会信用代码", "account 账户"],
  (await listOrganisations(d)).map((o) => [`${o.kind.zh} ${o.kind.label}`, o.name, o.creditCode, o.account]),
);

console.log("\n慈善捐赠 Charity: the 2026 flood-relief story\n");
const workDir = await mkdtemp(join(tmpdir(), "zhixin-demo-"));
const { ethers, networkConfig } = connection;
await runFloodReliefStory(
  d,
  (account) => ethers.getSigner(account),
  await legacyOverrides(ethers.provider, networkConfig.gasPrice),
  workDir,
  (line) => console.log(`  ${line}`),
);
console.log(`\nThe donors' receipts (names stay off chain) are in ${join(workDir, "receipts.csv")}`);

console.log("\n产品追溯 Traceability: the 新会陈皮 story\n");
const qrDir = join(workDir, "qr");
await runChenpiStory(
  d,
  (account) => ethers.getSigner(account),
  await legacyOverrides(ethers.provider, networkConfig.gasPrice),
  qrDir,
  demoPublicUrl,
  (line) => console.log(`  ${line}`),
);
console.log(`\nQR codes of the retail boxes are in ${qrDir}`);

console.log("\n精准扶贫 Poverty relief: the 台山 industry-support story\n");
// The one holder of the beneficiary-key secret, run by rural affairs: villages and departments ask it.
const keyService = await startKeyService({
  secret: parseReliefSecret(DEV_RELIEF_SECRET),
  deployment: d,
  anchorAddress: d.addresses.KeyServiceAnchor!,
  anchorSigner: await ethers.getSigner(RELIEF_ACCOUNTS.ruralAffairs),
  overrides: await legacyOverrides(ethers.provider, networkConfig.gasPrice),
  anchorIntervalMs: 0,
  port: 0,
});
console.log(`  key service (dev secret, run by 乡村振兴局) at ${keyService.url}`);
try {
  const relief = await runTaishanStory(
    d,
    (account) => ethers.getSigner(account),
    await legacyOverrides(ethers.provider, networkConfig.gasPrice),
    (line) => console.log(`  ${line}`),
    (signer) => new KeyServiceClient(keyService.url, signer, d.chainId),
  );
  const noticeFile = join(workDir, "relief-notices.csv");
  await appendPaymentNotices(noticeFile, relief.notices);
  console.log(`  the villages' payment notices (receipt codes, never on chain) are in ${noticeFile}`);
  const anchored = await keyService.anchorNow();
  const { count } = await keyService.store.head();
  console.log(
    `  key service: ${count} requests logged (who asked for how many keys, never an ID number); head ${anchored?.head ?? "(none)"} anchored on chain`,
  );
} finally {
  await keyService.close();
}

console.log("\n区块浏览器 Explorer: indexing the demo's chain\n");
const wanted = Number(process.env.ZHIXIN_EXPLORER_PORT ?? new URL(demoPublicUrl).port ?? 8080);
const explorerOptions = {
  provider: new BrowserProvider(connection.provider),
  deployment: d,
  location: {},
  log: (line: string) => console.log(`  ${line}`),
};
const explorer = await startExplorer({ ...explorerOptions, port: wanted }).catch(async (e: NodeJS.ErrnoException) => {
  if (e.code !== "EADDRINUSE") throw e;
  console.log(`  port ${wanted} is taken: serving on a free port (the QR codes point at ${demoPublicUrl})`);
  return startExplorer({ ...explorerOptions, port: 0 });
});
const status = (await (await fetch(`${explorer.url}/api/status`)).json()) as { events: number; indexedBlock: number };
console.log(`  ${status.events} events indexed up to block ${status.indexedBlock}`);
if (process.env.ZHIXIN_DEMO_EXIT === "1") {
  await explorer.close();
} else {
  console.log(`\n  Explorer 浏览器: ${explorer.url}/   (API: ${explorer.url}/api/openapi.json; Ctrl-C to stop)`);
  await new Promise<void>((resolve) => process.once("SIGINT", resolve));
  await explorer.close();
}
