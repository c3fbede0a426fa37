import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { scratchDir } from "../support/catalog-plan.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const PASSWORD = "typed client password";

/** The README's example, exactly as a reader would copy it (the block after "<!-- typed-client-example -->"). */
function readmeExample(): string {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const match = /<!-- typed-client-example -->\s*```ts\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error("README.md has no typed-client example block");
  return match[1]!;
}

/** Another service's project that depends on this one, the way `npm install <path>` would link it. */
function consumerProject() {
  const scratch = scratchDir("typed-client-");
  writeFileSync(scratch.file("package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
  writeFileSync(
    scratch.file("tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "NodeNext",
        moduleResolution: "NodeNext",
        target: "ES2022",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
    }),
  );
  mkdirSync(scratch.file("node_modules"));
  symlinkSync(ROOT, scratch.file("node_modules/product-importer"), "dir");
  const typecheck = () =>
    run(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", scratch.dir], { cwd: scratch.dir }).then(
      () => ({ ok: true, output: "" }),
      (error: { stdout: string }) => ({ ok: false, output: error.stdout }),
    );
  return { ...scratch, typecheck };
}

describe("the typed client another service uses (product-importer/client)", () => {
  let app: TestApp;
  let consumer: ReturnType<typeof consumerProject>;
  beforeAll(async () => {
    app = await startTestApp({ APP_PASSWORD: PASSWORD });
    consumer = consumerProject();
  });
  afterAll(async () => {
    consumer?.remove();
    await app?.stop();
  });

  it("type-checks the README's example, and runs it against a real server", async () => {
    writeFileSync(consumer.file("example.ts"), readmeExample());
    expect(await consumer.typecheck()).toEqual({ ok: true, output: "" });
    // The consumer runs TypeScript with this project's tsx (it has no node_modules of its own).
    const tsx = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
    const { stdout } = await run(process.execPath, ["--import", tsx, "example.ts"], {
      cwd: consumer.dir,
      env: { ...process.env, PRODUCT_IMPORTER_URL: app.url, PRODUCT_IMPORTER_PASSWORD: PASSWORD },
    });
    expect(stdout).toContain("0 products match");
    const [created] = await app.products();
    expect(created).toMatchObject({ sku: "CAP-1", name: "Cap" });
    expect(stdout).toMatch(/created CAP-1 \(\d+\)/);
  });

  it("refuses a wrong procedure name or a wrong input at the type check", async () => {
    writeFileSync(
      consumer.file("example.ts"),
      readmeExample()
        .replace("catalog.products.list.query(", "catalog.products.lst.query(")
        .replace('{ sku: "CAP-1", name: "Cap" }', '{ sku: "CAP-1", name: 42 }'),
    );
    const { ok, output } = await consumer.typecheck();
    expect(ok).toBe(false);
    expect(output).toMatch(/Property 'lst' does not exist/);
    expect(output).toMatch(/Type 'number' is not assignable to type 'string'/);
  });
});
