/**
 * A throw-away PostgreSQL server from Debian's packages (`postgresql`), on 127.0.0.1 and a free
 * port, for the tests and benchmarks of the indexer's DATABASE_URL path.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { freePort } from "../../src/dev/anvil.js";

const exec = promisify(execFile);

export interface RunningPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts a server, or returns undefined when no PostgreSQL is installed. */
export async function startPostgres(): Promise<RunningPostgres | undefined> {
  const bin = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"];
  let dirBin: string | undefined;
  for (const b of bin) {
    try {
      await exec(join(b, "initdb"), ["--version"]);
      dirBin = b;
      break;
    } catch {
      // not this version
    }
  }
  if (dirBin === undefined) return undefined;
  const data = await mkdtemp(join(tmpdir(), "zhixin-pg-"));
  const port = await freePort();
  const asUser = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  if (asUser.length > 0) await exec("chown", ["postgres", data]);
  const run = (cmd: string, args: string[]) =>
    exec(asUser[0] ?? cmd, asUser.length > 0 ? [...asUser.slice(1), cmd, ...args] : args);
  await run(join(dirBin, "initdb"), ["-D", data, "-U", "zhixin", "--auth=trust", "-E", "UTF8"]);
  // -l: the server's output goes to a file, so that pg_ctl returns.
  await run(join(dirBin, "pg_ctl"), [
    "-D",
    data,
    "-l",
    join(data, "log"),
    "-o",
    `-p ${port} -k ${data} -c listen_addresses=127.0.0.1`,
    "-w",
    "-t",
    "60",
    "start",
  ]);
  return {
    url: `postgres://zhixin@127.0.0.1:${port}/postgres`,
    async stop() {
      await run(join(dirBin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
      await rm(data, { recursive: true, force: true });
    },
  };
}
