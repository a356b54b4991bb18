/**
 * A real multi-node consortium chain on this machine: N go-ethereum v1.13.15 nodes, each a Clique
 * proof-of-authority signer with its own data folder and sealing key, peered statically on
 * 127.0.0.1, sealing a block every `period` seconds, with a genesis without London (legacy
 * transactions at gas price 0, like a Besu QBFT free-gas network). Used by `npm run consortium`
 * and the consortium tests (test-consortium/).
 *
 * geth is built once by `scripts/install-geth.sh` into `.tools/geth/bin/geth` (`ZHIXIN_GETH` names
 * another binary). The sealing keys are the nodes' own (one per validator, unlocked on its node so it
 * can seal); the departments' keys never reach a node: the tools sign with them locally.
 *
 * Each geth runs under a small shell guard that stops it when the Node process that started it goes
 * away, however it goes (its standard input closes), so no node outlives its launcher or a test.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { HDNodeWallet, Mnemonic, SigningKey, Wallet, encryptKeystoreJsonSync } from "ethers";

import { freePort } from "./dev/anvil.js";

/** The geth release that still seals Clique blocks (later ones dropped it). */
export const GETH_VERSION = "1.13.15";
/** Chain id of `npm run consortium` (its own: not Anvil's 750). */
export const CONSORTIUM_DEV_CHAIN_ID = 7507;

/**
 * The sample organisations' accounts (deploy/parameters/dev.json, deploy/organisations/jiangmen.json):
 * the first accounts of the well-known development mnemonic that Anvil and Hardhat use. Public keys of
 * a demonstration, never a real department's.
 */
export function devAccounts(count = 20): { address: string; privateKey: string }[] {
  const mnemonic = Mnemonic.fromPhrase("test test test test test test test test test test test junk");
  return Array.from({ length: count }, (_, i) => {
    const w = HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`);
    return { address: w.address, privateKey: w.privateKey };
  });
}

/** Where `scripts/install-geth.sh` puts geth, or `ZHIXIN_GETH`. */
export function gethBinary(): string {
  return process.env.ZHIXIN_GETH ?? fileURLToPath(new URL("../.tools/geth/bin/geth", import.meta.url));
}

/** Whether geth is installed (the consortium tests skip, saying so, when it is not). */
export function gethInstalled(): boolean {
  return existsSync(gethBinary());
}

export interface CliqueOptions {
  /** Root folder: one sub-folder per node, and `network.json` describing the network. */
  readonly dataDir: string;
  /** Number of signers (default 4). */
  readonly nodes?: number;
  readonly chainId?: number;
  /** Seconds between blocks (default 2). */
  readonly period?: number;
  /** HTTP JSON-RPC port of node 0; node i gets basePort + i. 0 or undefined: free ports. */
  readonly basePort?: number;
  /**
   * The members' accounts: the ones that send at gas price 0. geth refuses a gas price under 1 gwei from
   * another node (`--miner.gasprice` cannot be 0), except from accounts it lists in `--txpool.locals`:
   * every node lists these, so every signer includes their writes, whichever node they were sent to.
   * They also get ether in the genesis of a new network: Ignition's scripted helper (`ignition.deploy` in
   * deploy:local and the demo) ignores the network's `ignition.gasPrice` and pays eth_gasPrice (1 gwei).
   */
  readonly members?: readonly string[];
  /** Log verbosity of geth (0 silent … 5 trace; default 2, warnings), written to `<node>/geth.log`. */
  readonly verbosity?: number;
}

/** What `network.json` keeps, so that a restart finds the same keys, ports and peers. */
interface NetworkFile {
  readonly chainId: number;
  readonly period: number;
  readonly members?: readonly string[];
  readonly nodes: readonly {
    readonly signer: string;
    readonly httpPort: number;
    readonly p2pPort: number;
    readonly authPort: number;
    readonly enode: string;
  }[];
}

/** One validator node. */
export class GethNode {
  private child: ChildProcess | undefined;
  private gethPid: number | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly index: number,
    /** The node's sealing address (its Clique signer). */
    readonly signer: string,
    readonly dir: string,
    readonly httpPort: number,
    readonly p2pPort: number,
    readonly authPort: number,
    /** `enode://…@127.0.0.1:port`, its static peer address. */
    readonly enode: string,
    private readonly verbosity: number,
    /** Accounts whose transactions this node takes at gas price 0 (see {@link CliqueOptions.members}). */
    private readonly members: readonly string[] = [],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts geth on the node's folder and resolves once it answers JSON-RPC. */
  async start(seal = true): Promise<void> {
    if (this.child !== undefined) return;
    const args = [
      "--datadir",
      this.dir,
      "--config",
      join(this.dir, "config.toml"),
      "--networkid",
      String(JSON.parse(await readFile(join(this.dir, "..", "network.json"), "utf8")).chainId),
      "--syncmode",
      "full",
      "--gcmode",
      "archive",
      "--nodiscover",
      "--nat",
      "none",
      "--port",
      String(this.p2pPort),
      "--authrpc.addr",
      "127.0.0.1",
      "--authrpc.port",
      String(this.authPort),
      "--http",
      "--http.addr",
      "127.0.0.1",
      "--http.port",
      String(this.httpPort),
      // admin: the tests cut a node off its peers (admin_removePeer). A production node keeps admin on IPC only.
      "--http.api",
      "eth,net,web3,txpool,clique,admin,miner",
      "--ipcdisable",
      ...(seal ? ["--mine"] : []),
      "--miner.etherbase",
      this.signer,
      "--miner.gasprice",
      "0",
      "--miner.gaslimit",
      "30000000",
      "--unlock",
      this.signer,
      "--password",
      join(this.dir, "password"),
      "--allow-insecure-unlock",
      "--verbosity",
      String(this.verbosity),
    ];
    // Their writes at gas price 0 are taken from any peer, so every signer seals them (see members).
    if (this.members.length > 0) args.push("--txpool.locals", this.members.join(","));
    const log = await open(join(this.dir, "geth.log"), "a");
    const pidFile = join(this.dir, "geth.pid");
    // The guard: geth in the background; when our end of its stdin closes (we stop it, or this
    // process dies however it dies), TERM geth; the guard exits with geth.
    // Ctrl-C in a terminal reaches the whole process group: the guard ignores it (geth, started in the
    // background, does too), so that the launcher stops the nodes itself, each waited for.
    const guard = [
      "trap '' INT",
      "exec 3<&0",
      '"$0" "$@" </dev/null &',
      "g=$!",
      `echo $g > '${pidFile}'`,
      "{ cat <&3 >/dev/null; kill -TERM $g 2>/dev/null; } &",
      "w=$!",
      "while kill -0 $g 2>/dev/null; do wait $g; done",
      "kill $w 2>/dev/null",
    ].join("\n");
    const child = spawn("sh", ["-c", guard, gethBinary(), ...args], { stdio: ["pipe", log.fd, log.fd] });
    await log.close();
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once("exit", () => {
        this.child = undefined;
        this.gethPid = undefined;
        resolve();
      }),
    );
    const deadline = Date.now() + 60_000;
    while (!(await rpcAnswers(this.url))) {
      if (this.child === undefined)
        throw new Error(
          `geth node ${this.index} exited before answering on ${this.url}: see ${join(this.dir, "geth.log")}`,
        );
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(
          `geth node ${this.index} did not answer on ${this.url} within 60 s: see ${join(this.dir, "geth.log")}`,
        );
      }
      await sleep(100);
    }
    this.gethPid = Number((await readFile(pidFile, "utf8")).trim());
  }

  /** Stops geth cleanly (SIGTERM: it writes its state) and waits for it; SIGKILL after 20 s. */
  async stop(): Promise<void> {
    if (this.child === undefined) return;
    this.child.stdin?.end();
    const pid = this.gethPid;
    const timer = setTimeout(() => pid !== undefined && tryKill(pid, "SIGKILL"), 20_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills geth at once (SIGKILL), as a crashed machine would, and waits for it to be gone. */
  async kill(): Promise<void> {
    if (this.child === undefined) return;
    if (this.gethPid !== undefined) tryKill(this.gethPid, "SIGKILL");
    this.child.stdin?.end();
    await this.exited;
  }

  /** Stops at once without waiting: for `process.on("exit")`, where nothing asynchronous runs. */
  killNow(): void {
    if (this.gethPid !== undefined) tryKill(this.gethPid, "SIGKILL");
    this.child?.stdin?.end();
  }

  /** A JSON-RPC call to this node. */
  rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    return rpcCall<T>(this.url, method, params);
  }
}

/** The running network. */
export interface CliqueNetwork {
  readonly chainId: number;
  readonly period: number;
  readonly nodes: readonly GethNode[];
  /** Node URLs, node 0 first. */
  readonly urls: readonly string[];
  /** Stops every node that is running (cleanly), in parallel. */
  stop(): Promise<void>;
  /** Cuts node `i` off from every peer, both ways (admin_removePeer also forgets static peers). */
  isolate(i: number): Promise<void>;
  /** Connects node `i` to every other node again, both ways. */
  rejoin(i: number): Promise<void>;
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One JSON-RPC call over HTTP; a JSON-RPC error is thrown with its message. */
export async function rpcCall<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error !== undefined) throw new Error(`${method} on ${url}: ${body.error.message}`);
  return body.result as T;
}

async function rpcAnswers(url: string): Promise<boolean> {
  try {
    await rpcCall(url, "eth_chainId");
    return true;
  } catch {
    return false;
  }
}

/** The Clique genesis: Berlin rules from block 0, no London (so no base fee: legacy transactions at gas price 0). */
export function cliqueGenesis(
  chainId: number,
  period: number,
  signers: readonly string[],
  fund: readonly string[] = [],
): object {
  const extra =
    "0x" +
    "00".repeat(32) +
    signers
      .map((s) => s.slice(2).toLowerCase())
      .sort()
      .join("") +
    "00".repeat(65);
  return {
    config: {
      chainId,
      homesteadBlock: 0,
      eip150Block: 0,
      eip155Block: 0,
      eip158Block: 0,
      byzantiumBlock: 0,
      constantinopleBlock: 0,
      petersburgBlock: 0,
      istanbulBlock: 0,
      muirGlacierBlock: 0,
      berlinBlock: 0,
      clique: { period, epoch: 30000 },
    },
    difficulty: "0x1",
    gasLimit: "0x1c9c380",
    extraData: extra,
    alloc: Object.fromEntries(
      fund.map((a) => [a.toLowerCase().replace(/^0x/, ""), { balance: "0x" + (10n ** 24n).toString(16) }]),
    ),
  };
}

async function runGeth(args: string[]): Promise<void> {
  const child = spawn(gethBinary(), args, { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", resolve);
  });
  if (code !== 0)
    throw new Error(`geth ${args[0]} failed (code ${code}): ${err.trim().split("\n").slice(-3).join(" ")}`);
}

/** Creates the network's folders, keys and genesis when `dataDir` holds none yet. */
async function createNetwork(o: CliqueOptions): Promise<NetworkFile> {
  const count = o.nodes ?? 4;
  const chainId = o.chainId ?? CONSORTIUM_DEV_CHAIN_ID;
  const period = o.period ?? 2;
  const nodes: NetworkFile["nodes"][number][] = [];
  const wallets = Array.from({ length: count }, () => Wallet.createRandom());
  const genesis = cliqueGenesis(
    chainId,
    period,
    wallets.map((w) => w.address),
    o.members,
  );
  await mkdir(o.dataDir, { recursive: true });
  await writeFile(join(o.dataDir, "genesis.json"), JSON.stringify(genesis, null, 2));
  for (let i = 0; i < count; i++) {
    const dir = join(o.dataDir, `node${i}`);
    await mkdir(join(dir, "keystore"), { recursive: true });
    await mkdir(join(dir, "geth"), { recursive: true });
    const wallet = wallets[i]!;
    const password = randomBytes(16).toString("hex");
    await writeFile(join(dir, "password"), password, { mode: 0o600 });
    // A light scrypt: this key only seals blocks of a development network on loopback.
    const json = encryptKeystoreJsonSync({ address: wallet.address, privateKey: wallet.privateKey }, password, {
      scrypt: { N: 1 << 12 },
    });
    await writeFile(join(dir, "keystore", `signer-${wallet.address.toLowerCase()}.json`), json, { mode: 0o600 });
    const nodeKey = randomBytes(32).toString("hex");
    await writeFile(join(dir, "geth", "nodekey"), nodeKey, { mode: 0o600 });
    const pub = new SigningKey("0x" + nodeKey).publicKey.slice(4); // uncompressed, without 0x04
    const httpPort = o.basePort ? o.basePort + i : await freePort();
    const p2pPort = o.basePort ? o.basePort + 100 + i : await freePort();
    const authPort = o.basePort ? o.basePort + 200 + i : await freePort();
    nodes.push({ signer: wallet.address, httpPort, p2pPort, authPort, enode: `enode://${pub}@127.0.0.1:${p2pPort}` });
    await runGeth(["init", "--datadir", dir, join(o.dataDir, "genesis.json")]);
  }
  for (let i = 0; i < count; i++) {
    const peers = nodes.filter((_, j) => j !== i).map((n) => JSON.stringify(n.enode));
    await writeFile(join(o.dataDir, `node${i}`, "config.toml"), `[Node.P2P]\nStaticNodes = [${peers.join(", ")}]\n`);
  }
  const file: NetworkFile = { chainId, period, members: o.members ?? [], nodes };
  await writeFile(join(o.dataDir, "network.json"), JSON.stringify(file, null, 2));
  return file;
}

/**
 * Starts the network in `dataDir`, creating it first when the folder holds none (a network already
 * there keeps its keys, ports, chain id and blocks: the options that shaped it are then ignored).
 */
export async function startCliqueNetwork(o: CliqueOptions): Promise<CliqueNetwork> {
  const path = join(o.dataDir, "network.json");
  const file = existsSync(path) ? (JSON.parse(await readFile(path, "utf8")) as NetworkFile) : await createNetwork(o);
  const nodes = file.nodes.map(
    (n, i) =>
      new GethNode(
        i,
        n.signer,
        join(o.dataDir, `node${i}`),
        n.httpPort,
        n.p2pPort,
        n.authPort,
        n.enode,
        o.verbosity ?? 2,
        file.members ?? [],
      ),
  );
  const stopAll = () => nodes.forEach((n) => n.killNow());
  process.once("exit", stopAll);
  try {
    // Sealing starts once every node has its peers: signers that seal before they are peered each make
    // a block 1 of their own, and Clique can then stall for ever on those equal-weight forks.
    await Promise.all(nodes.map((n) => n.start(false)));
    const deadline = Date.now() + 60_000;
    for (const n of nodes) {
      while ((await n.rpc<unknown[]>("admin_peers")).length < nodes.length - 1 && Date.now() < deadline)
        await sleep(100);
    }
    // One signer seals block 1 alone and every node takes it before the others start: nodes that have just
    // started count themselves as syncing and discard propagated blocks, so signers sealing at once can each
    // keep a block 1 of their own and then all refuse to sign ("signed recently").
    const [first, ...others] = nodes;
    await first!.rpc("miner_start", []);
    for (const n of nodes) {
      while (Number(await n.rpc<string>("eth_blockNumber")) < 1 && Date.now() < deadline + 60_000) await sleep(100);
    }
    await Promise.all(others.map((n) => n.rpc("miner_start", [])));
  } catch (e) {
    await Promise.all(nodes.map((n) => n.kill()));
    throw e;
  }
  return {
    chainId: file.chainId,
    period: file.period,
    nodes,
    urls: nodes.map((n) => n.url),
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      process.removeListener("exit", stopAll);
    },
    async isolate(i) {
      const node = nodes[i]!;
      for (const other of nodes) {
        if (other === node) continue;
        if (node.running) await node.rpc("admin_removePeer", [other.enode]);
        if (other.running) await other.rpc("admin_removePeer", [node.enode]);
      }
      // Wait until the node has no peer left (disconnection is asynchronous).
      for (let t = 0; t < 50 && (await node.rpc<unknown[]>("admin_peers")).length > 0; t++) await sleep(100);
    },
    async rejoin(i) {
      const node = nodes[i]!;
      for (const other of nodes) {
        if (other === node) continue;
        if (node.running) await node.rpc("admin_addPeer", [other.enode]);
        if (other.running) await other.rpc("admin_addPeer", [node.enode]);
      }
    },
  };
}

/** Removes a network's folder (`--fresh`). */
export async function removeNetwork(dataDir: string): Promise<void> {
  await rm(dataDir, { recursive: true, force: true });
}
