import { randomBytes, timingSafeEqual } from "node:crypto";
import net from "node:net";
import path from "node:path";
import ssh2 from "ssh2";
import type { AuthContext, Attributes, Connection, FileEntry, ParsedKey, SFTPWrapper } from "ssh2";

// ssh2 is CommonJS and Node's ESM loader sees only a few of its names: take them off the default export.
// The SFTP constants live at `utils.sftp` (the README's top-level `sftp` does not exist).
const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

export interface SftpServer {
  host: string; // "127.0.0.1"
  port: number;
  username: string;
  password: string;
  /** An OpenSSH private key (PEM text) whose public key the server accepts for `username`. */
  privateKey: string;
  /** Serves `content` at `path` (e.g. "/feeds/catalog.csv") with modification time `mtime` (default now). Replaces an existing file. */
  put(path: string, content: Buffer | string, mtime?: Date): void;
  remove(path: string): void;
  /** How many times a file was opened for reading (so a test can tell a download happened or not). */
  opens(path: string): number;
  close(): Promise<void>;
}

interface StoredFile {
  content: Buffer;
  mtime: Date;
}

type OpenHandle = { kind: "file"; file: StoredFile } | { kind: "dir"; entries: FileEntry[]; sent: boolean };

/** The most one READ answers with; a client asking for more gets a short read, as from a real server. */
const MAX_READ = 64 * 1024;
const FILE_MODE = 0o100644;
const DIR_MODE = 0o040755;
const WRITE_FLAGS = OPEN_MODE.WRITE | OPEN_MODE.APPEND | OPEN_MODE.CREAT | OPEN_MODE.TRUNC | OPEN_MODE.EXCL;

/** Absolute, normalised POSIX path: "feeds//a/../b.csv" → "/feeds/b.csv", "." → "/". */
const normalise = (p: string) => path.posix.resolve("/", p);

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function sameBytes(input: Buffer, expected: Buffer) {
  return input.length === expected.length && timingSafeEqual(input, expected);
}

function longname(name: string, attrs: Attributes) {
  const type = (attrs.mode & 0o170000) === 0o040000 ? "d" : "-";
  const bits = ["r", "w", "x", "r", "w", "x", "r", "w", "x"].map((c, i) => (attrs.mode & (0o400 >> i) ? c : "-")).join("");
  const date = new Date(attrs.mtime * 1000);
  const month = date.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  const time = `${String(date.getUTCHours()).padStart(2, "0")}:${String(date.getUTCMinutes()).padStart(2, "0")}`;
  return `${type}${bits}    1 sftp     sftp     ${String(attrs.size).padStart(8)} ${month} ${String(date.getUTCDate()).padStart(2)} ${time} ${name}`;
}

/**
 * A read-only SFTP server on 127.0.0.1 (a random port) serving files kept in memory.
 * Accepts `username` with `password` or with the public half of `privateKey`; nothing else.
 */
export async function startSftpServer(): Promise<SftpServer> {
  const username = "importer";
  const password = randomBytes(12).toString("hex");
  const hostKey = utils.generateKeyPairSync("ed25519");
  const clientKey = utils.generateKeyPairSync("ed25519");
  const parsedKey = utils.parseKey(clientKey.public);
  if (parsedKey instanceof Error) throw parsedKey;
  const allowedKey: ParsedKey = parsedKey;
  const allowedKeyBlob = allowedKey.getPublicSSH();

  const files = new Map<string, StoredFile>();
  const openCounts = new Map<string, number>();
  const connections = new Set<Connection>();
  const sockets = new Set<net.Socket>();

  /** A file's or a directory's attributes; directories exist wherever a file sits below them. */
  function attributesOf(p: string): Attributes | undefined {
    const file = files.get(p);
    if (file) return { mode: FILE_MODE, uid: 1000, gid: 1000, size: file.content.length, atime: seconds(file.mtime), mtime: seconds(file.mtime) };
    const prefix = p === "/" ? "/" : `${p}/`;
    let newest: Date | undefined;
    for (const [filePath, f] of files) if (filePath.startsWith(prefix) && (!newest || f.mtime > newest)) newest = f.mtime;
    if (p !== "/" && !newest) return undefined;
    const mtime = seconds(newest ?? new Date());
    return { mode: DIR_MODE, uid: 1000, gid: 1000, size: 4096, atime: mtime, mtime };
  }

  function listing(dir: string): FileEntry[] {
    const prefix = dir === "/" ? "/" : `${dir}/`;
    const names = new Set<string>();
    for (const filePath of files.keys()) if (filePath.startsWith(prefix)) names.add(filePath.slice(prefix.length).split("/")[0]!);
    return [".", "..", ...[...names].sort()].map((name) => {
      const attrs = attributesOf(normalise(path.posix.join(dir, name)))!;
      return { filename: name, longname: longname(name, attrs), attrs };
    });
  }

  function authenticate(ctx: AuthContext) {
    const userOk = sameBytes(Buffer.from(ctx.username), Buffer.from(username));
    switch (ctx.method) {
      case "password":
        if (userOk && sameBytes(Buffer.from(ctx.password), Buffer.from(password))) return ctx.accept();
        break;
      case "publickey":
        // Without a signature the client only asks whether the key would do; accepting answers "yes" (PK_OK).
        if (
          userOk &&
          sameBytes(ctx.key.data, allowedKeyBlob) &&
          (!ctx.signature || (ctx.blob !== undefined && allowedKey.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true))
        )
          return ctx.accept();
        break;
    }
    ctx.reject(["password", "publickey"]);
  }

  function serveSftp(sftp: SFTPWrapper) {
    const handles = new Map<number, OpenHandle>();
    let nextHandle = 0;
    const addHandle = (open: OpenHandle) => {
      const id = nextHandle++;
      handles.set(id, open);
      const handle = Buffer.alloc(4);
      handle.writeUInt32BE(id, 0);
      return handle;
    };
    const lookup = (handle: Buffer) => (handle.length === 4 ? handles.get(handle.readUInt32BE(0)) : undefined);
    const stat = (reqId: number, p: string) => {
      const attrs = attributesOf(normalise(p));
      if (attrs) sftp.attrs(reqId, attrs);
      else sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE, "No such file");
    };

    sftp
      .on("REALPATH", (reqId, p) => {
        const resolved = normalise(p);
        sftp.name(reqId, [{ filename: resolved, longname: resolved, attrs: {} as Attributes }]);
      })
      .on("STAT", stat)
      .on("LSTAT", stat)
      .on("FSTAT", (reqId, handle) => {
        const open = lookup(handle);
        if (open?.kind !== "file") return sftp.status(reqId, STATUS_CODE.FAILURE, "Bad handle");
        const { content, mtime } = open.file;
        sftp.attrs(reqId, { mode: FILE_MODE, uid: 1000, gid: 1000, size: content.length, atime: seconds(mtime), mtime: seconds(mtime) });
      })
      .on("OPEN", (reqId, filename, flags) => {
        if (flags & WRITE_FLAGS) return sftp.status(reqId, STATUS_CODE.PERMISSION_DENIED, "Permission denied");
        const p = normalise(filename);
        // The handle keeps the bytes it opened: a later put() or remove() does not change a download under way.
        const file = files.get(p);
        if (!file) {
          const isDir = attributesOf(p) !== undefined;
          return sftp.status(reqId, isDir ? STATUS_CODE.FAILURE : STATUS_CODE.NO_SUCH_FILE, isDir ? "Is a directory" : "No such file");
        }
        openCounts.set(p, (openCounts.get(p) ?? 0) + 1);
        sftp.handle(reqId, addHandle({ kind: "file", file }));
      })
      .on("READ", (reqId, handle, offset, length) => {
        const open = lookup(handle);
        if (open?.kind !== "file") return sftp.status(reqId, STATUS_CODE.FAILURE, "Bad handle");
        const { content } = open.file;
        const start = Number(offset);
        if (start >= content.length) return sftp.status(reqId, STATUS_CODE.EOF);
        sftp.data(reqId, content.subarray(start, start + Math.min(length, MAX_READ)));
      })
      .on("OPENDIR", (reqId, p) => {
        const dir = normalise(p);
        const attrs = attributesOf(dir);
        if (!attrs) return sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE, "No such directory");
        if (attrs.mode !== DIR_MODE) return sftp.status(reqId, STATUS_CODE.FAILURE, "Not a directory");
        sftp.handle(reqId, addHandle({ kind: "dir", entries: listing(dir), sent: false }));
      })
      .on("READDIR", (reqId, handle) => {
        const open = lookup(handle);
        if (open?.kind !== "dir") return sftp.status(reqId, STATUS_CODE.FAILURE, "Bad handle");
        if (open.sent || open.entries.length === 0) return sftp.status(reqId, STATUS_CODE.EOF);
        open.sent = true;
        sftp.name(reqId, open.entries);
      })
      .on("CLOSE", (reqId, handle) => {
        const known = handle.length === 4 && handles.delete(handle.readUInt32BE(0));
        sftp.status(reqId, known ? STATUS_CODE.OK : STATUS_CODE.FAILURE);
      });
    // Anything that would change the tree is refused outright (other requests get ssh2's automatic OP_UNSUPPORTED).
    for (const event of ["WRITE", "SETSTAT", "FSETSTAT", "REMOVE", "RMDIR", "MKDIR", "RENAME", "SYMLINK"] as const) {
      (sftp as unknown as NodeJS.EventEmitter).on(event, (reqId: number) => sftp.status(reqId, STATUS_CODE.PERMISSION_DENIED, "Permission denied"));
    }
  }

  const sshServer = new Server({ hostKeys: [hostKey.private] }, (client) => {
    connections.add(client);
    client
      .on("authentication", authenticate)
      .on("ready", () => {
        client.on("session", (accept) => {
          const session = accept();
          session.on("sftp", (acceptSftp) => serveSftp(acceptSftp()));
        });
      })
      .on("close", () => connections.delete(client))
      // A client dropping its connection is no concern of the test that started this server.
      .on("error", () => {});
  });

  // Our own listener hands each socket to ssh2, so close() can reach and destroy every one of them.
  const listener = net.createServer((socket) => {
    sockets.add(socket);
    // Without this, Nagle's algorithm holds each small reply back and a sequential read crawls.
    socket.setNoDelay(true);
    socket.once("close", () => sockets.delete(socket));
    sshServer.injectSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(0, "127.0.0.1", () => {
      listener.off("error", reject);
      resolve();
    });
  });
  const { port } = listener.address() as net.AddressInfo;

  return {
    host: "127.0.0.1",
    port,
    username,
    password,
    privateKey: clientKey.private,
    put(p, content, mtime = new Date()) {
      files.set(normalise(p), { content: Buffer.isBuffer(content) ? content : Buffer.from(content), mtime });
    },
    remove(p) {
      files.delete(normalise(p));
    },
    opens(p) {
      return openCounts.get(normalise(p)) ?? 0;
    },
    async close() {
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      // Say goodbye politely (SSH_MSG_DISCONNECT), then cut whoever has not hung up after a moment.
      for (const client of connections) client.end();
      const deadline = Date.now() + 1_000;
      while (sockets.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
