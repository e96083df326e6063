import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A private Dovecot IMAP server for one test file. */
export interface DovecotServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The temp dir holding config, sockets, state, log and maildirs. */
  dir: string;
  /** The last lines of Dovecot's log, for failure messages. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** True when a `dovecot` binary is on PATH. */
export function dovecotAvailable(): boolean {
  const probe = spawnSync("dovecot", ["--version"], { stdio: "ignore" });
  return probe.status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: "127.0.0.1", port }, () => {
      sock.destroy();
      resolve(true);
    });
    sock.once("error", () => resolve(false));
  });
}

/** Looks up a system user's uid/gid; the package creates `dovecot` and `dovenull`. */
function idOf(user: string): { uid: number; gid: number } | null {
  const uid = spawnSync("id", ["-u", user], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", user], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Starts `dovecot -F -c <generated conf>` listening on a free loopback port, with everything
 * (sockets, state, log, maildirs) in a fresh temp dir and one passwd-file user allowed to log in
 * with a plaintext password. Mail is stored as the `dovecot` system user because Dovecot refuses
 * mail access as root; the login processes run as `dovenull` as in a normal install.
 */
export async function startDovecot(): Promise<DovecotServer> {
  // The free port is only free when we looked; another test may take it first, so try again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce();
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

async function startOnce(): Promise<DovecotServer> {
  const dir = await mkdtemp(join(tmpdir(), "dovecot-test-"));
  // Unprivileged login/mail processes must be able to traverse into the temp dir.
  await chmod(dir, 0o755);
  const mailOwner = idOf("dovecot") ?? { uid: 65534, gid: 65534 };
  const loginUser = idOf("dovenull") !== null ? "dovenull" : "nobody";
  const internalUser = idOf("dovecot") !== null ? "dovecot" : "nobody";
  const mailDir = join(dir, "mail");
  await mkdir(mailDir, { mode: 0o777 });
  await chmod(mailDir, 0o777);
  const port = await freePort();
  const user = "reader-inbox";
  const password = "test-password";
  const passwd = join(dir, "passwd");
  await writeFile(
    passwd,
    `${user}:{PLAIN}${password}:${mailOwner.uid}:${mailOwner.gid}::${mailDir}/${user}\n`,
  );
  const logPath = join(dir, "dovecot.log");
  const conf = `
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logPath}
info_log_path = ${logPath}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${internalUser}
default_internal_group = ${internalUser}
default_login_user = ${loginUser}
first_valid_uid = 1
mail_location = maildir:${mailDir}/%u
mailbox_idle_check_interval = 1 secs
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0600
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${passwd}
}
userdb {
  driver = passwd-file
  args = ${passwd}
}
`;
  const confPath = join(dir, "dovecot.conf");
  await writeFile(confPath, conf);
  const child: ChildProcess = spawn("dovecot", ["-F", "-c", confPath], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString("utf8");
  });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const log = async (): Promise<string> => {
    const text = await readFile(logPath, "utf8").catch(() => "");
    return `${text.split("\n").slice(-30).join("\n")}\n${stderr}`;
  };

  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (exited || Date.now() > deadline) {
      child.kill("SIGKILL");
      const why = await log();
      await rm(dir, { recursive: true, force: true });
      throw new Error(`dovecot did not start on port ${port}:\n${why}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    host: "127.0.0.1",
    port,
    user,
    password,
    dir,
    log,
    async stop() {
      if (!exited) {
        const gone = new Promise<void>((r) => child.once("exit", () => r()));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
        await gone;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
