import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordedEvents, refusalOf, startTestApp, type TestApp } from "../support/test-app.js";
import { deleteEveryField } from "../support/custom-fields.js";

/**
 * Fields of your own (CONTRACT.md "Typed fields", issue 32) through the API: `fields.*` defines
 * them, `products.create` / `update` read their values by the importer's rules, a type change
 * converts every stored value or refuses, and a delete takes the value off every product.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(async () => {
  // The fields table outlives a test: every test starts without fields, products or events.
  await app.resetCatalog();
  await deleteEveryField(app.api);
  await sql`TRUNCATE events`.execute(app.database.db);
});

type FieldType = "text" | "number" | "integer" | "boolean" | "date" | "url" | "choice" | "list";
type Value = string | number | boolean | string[];

const refusal = (procedure: string, input: unknown) => refusalOf(app, procedure, input);
const defineField = (label: string, type: FieldType, extra: { key?: string; options?: string[]; required?: boolean } = {}) =>
  app.api.fields.create.mutate({ label, type, ...extra });
const createProduct = (sku: string, attributes: Record<string, unknown>) =>
  app.api.products.create.mutate({ sku, name: `Product ${sku}`, attributes });

/** Every product's attributes, by SKU. */
async function attributesBySku(): Promise<Record<string, Record<string, Value>>> {
  const { items } = await app.api.products.list.query({ pageSize: 200, sort: "sku" });
  return Object.fromEntries(items.map((product) => [product.sku, product.attributes]));
}
const fieldNamed = async (key: string) => (await app.api.fields.list.query({})).find((field) => field.key === key);

describe("fields.create", () => {
  it("derives the key from the label, takes an explicit one, and lists every field with its shape in the order defined", async () => {
    const origin = await defineField("Country of origin", "text");
    const fit = await defineField("Fit", "choice", { options: ["Slim", " Regular "], required: true });
    const width = await defineField("Breite (cm)", "number", { key: "width" });
    const accented = await defineField("Année de sortie", "integer");
    expect([origin.key, fit.key, width.key, accented.key]).toEqual(["country_of_origin", "fit", "width", "annee_de_sortie"]);

    const listed = await app.api.fields.list.query({});
    expect(listed).toEqual([
      { key: "country_of_origin", label: "Country of origin", type: "text", options: null, required: false, createdAt: expect.any(String) },
      // Options are trimmed as they are stored.
      { key: "fit", label: "Fit", type: "choice", options: ["Slim", "Regular"], required: true, createdAt: expect.any(String) },
      { key: "width", label: "Breite (cm)", type: "number", options: null, required: false, createdAt: expect.any(String) },
      { key: "annee_de_sortie", label: "Année de sortie", type: "integer", options: null, required: false, createdAt: expect.any(String) },
    ]);
    for (const field of listed) expect(new Date(field.createdAt).toISOString()).toBe(field.createdAt);
    expect(listed[1]).toEqual(fit);
  });

  it("refuses a key another field has, whether given or derived, with CONFLICT naming it", async () => {
    await defineField("Material", "text");
    for (const input of [
      { label: "Material", type: "text" },
      { label: "Stoff", key: "material", type: "list" },
    ]) {
      const answer = await refusal("fields.create", input);
      expect(answer.code).toBe("CONFLICT");
      expect(answer.message).toContain('"material"');
    }
    expect((await app.api.fields.list.query({})).map((field) => [field.key, field.label])).toEqual([["material", "Material"]]);
  });

  it("refuses a built-in field's name with CONFLICT naming it, given or derived, and defines nothing", async () => {
    const builtIns: [key: string, input: { key?: string; label: string }][] = [
      ["price", { key: "price", label: "Our price" }],
      ["compare_at_price", { label: "Compare at price" }],
      ["sku", { label: "SKU" }],
      ["tags", { label: "Tags" }],
      ["weight_grams", { key: "weight_grams", label: "Weight" }],
      ["stock", { label: "Stock" }],
      ["name", { label: "Name" }],
      ["attributes", { label: "Attributes" }],
    ];
    for (const [key, input] of builtIns) {
      const answer = await refusal("fields.create", { type: "text", ...input });
      expect(answer.code, key).toBe("CONFLICT");
      expect(answer.message).toContain(`"${key}"`);
    }
    expect(await app.api.fields.list.query({})).toEqual([]);
  });

  it("refuses a malformed key, label, type or options with BAD_REQUEST, and defines nothing", async () => {
    const malformed: [what: string, input: Record<string, unknown>][] = [
      ["a key starting with a digit", { key: "1st", label: "First", type: "text" }],
      ["a key with a capital", { key: "Colour", label: "Colour", type: "text" }],
      ["a key with a dash", { key: "care-label", label: "Care label", type: "text" }],
      ["a key of 64 characters", { key: `k${"x".repeat(63)}`, label: "Long", type: "text" }],
      ["a label with no letters to make a key of", { label: "123 !", type: "text" }],
      ["a blank label", { label: "   ", type: "text" }],
      ["an unknown type", { label: "Colour", type: "colour" }],
      ["a choice without options", { label: "Fit", type: "choice" }],
      ["a choice with an empty list of options", { label: "Fit", type: "choice", options: [] }],
      ["a choice listing an option twice", { label: "Fit", type: "choice", options: ["Slim", "slim"] }],
      ["options on a text field", { label: "Colour", type: "text", options: ["Red"] }],
      ["options on a list field", { label: "Colours", type: "list", options: ["Red"] }],
    ];
    for (const [what, input] of malformed) expect((await refusal("fields.create", input)).code, what).toBe("BAD_REQUEST");
    expect(await app.api.fields.list.query({})).toEqual([]);
  });
});

/** What each type reads (as products.create and update take a value) and what it refuses. */
const READING: {
  type: FieldType;
  options?: string[];
  reads: [given: unknown, stored: Value][];
  refuses: [given: unknown, problem: RegExp][];
}[] = [
  {
    type: "text",
    reads: [
      ["Cotton", "Cotton"],
      ["  Organic linen  ", "Organic linen"],
      [12, "12"],
      [true, "true"],
    ],
    refuses: [
      [["a", "b"], /is a list/],
      ["x".repeat(5_001), /5,?001 characters/],
    ],
  },
  {
    type: "number",
    reads: [
      ["1,5", 1.5],
      ["-2.25", -2.25],
      [-7, -7],
      [3.75, 3.75],
      ["12", 12],
      ["1.234,5", 1234.5],
      ["€ 9,99", 9.99],
    ],
    refuses: [
      ["abc", /not a number/],
      ["1e5", /scientific notation/],
      [true, /not a number value/],
    ],
  },
  {
    type: "integer",
    reads: [
      ["12", 12],
      ["-3", -3],
      [42, 42],
      ["12.0", 12],
    ],
    refuses: [
      ["2.5", /not a whole number/],
      [2.5, /not a whole number/],
      ["ten", /not a number/],
    ],
  },
  {
    type: "boolean",
    reads: [
      ["yes", true],
      ["no", false],
      ["true", true],
      ["false", false],
      ["1", true],
      ["0", false],
      ["YES", true],
      [true, true],
      [false, false],
    ],
    refuses: [["maybe", /is not yes or no/]],
  },
  {
    type: "date",
    reads: [
      ["2026-12-31", "2026-12-31"],
      ["31.12.2026", "2026-12-31"],
      ["1.2.2026", "2026-02-01"],
      ["2028-02-29", "2028-02-29"],
      ["2026-12-31T10:30:00Z", "2026-12-31"],
    ],
    refuses: [
      ["2026-02-30", /not a date on the calendar/],
      ["2027-02-29", /not a date on the calendar/],
      ["2026-13-01", /not a date/],
      ["31/12/2026", /not a date/],
      ["tomorrow", /not a date/],
    ],
  },
  {
    type: "url",
    reads: [
      ["https://example.com/care.pdf?lang=de", "https://example.com/care.pdf?lang=de"],
      ["http://shop.example.org", "http://shop.example.org"],
      ["  https://x.example/p  ", "https://x.example/p"],
    ],
    refuses: [
      ["ftp://example.com/file.pdf", /not a web address/],
      ["example.com/page", /not a web address/],
      ["javascript:alert(1)", /not a web address/],
      ["mailto:team@example.com", /not a web address/],
    ],
  },
  {
    type: "choice",
    options: ["Slim", "Regular", "Loose fit"],
    reads: [
      ["slim", "Slim"],
      ["REGULAR", "Regular"],
      ["  loose FIT ", "Loose fit"],
    ],
    refuses: [
      ["Huge", /not one of the options \(Slim, Regular, Loose fit\)/],
      ["Slimmer", /not one of the options \(Slim, Regular, Loose fit\)/],
    ],
  },
  {
    type: "list",
    reads: [
      ["red, blue , Red,,green", ["red", "blue", "green"]],
      [
        ["Summer", "summer", " sale "],
        ["Summer", "sale"],
      ],
      ["solo", ["solo"]],
    ],
    refuses: [[["one, two"], /comma/]],
  },
];

describe("products.create and update read every type by the importer's rules", () => {
  it.each(READING.map((entry) => [entry.type, entry] as const))("%s", async (type, { options, reads, refuses }) => {
    await defineField("Value", type, options ? { options } : {});
    const stored: Record<string, Record<string, Value>> = {};

    for (const [at, [given, value]] of reads.entries()) {
      const created = await createProduct(`c-${at}`, { value: given });
      expect(created.attributes, `create with ${JSON.stringify(given)}`).toEqual({ value });
      stored[`c-${at}`] = { value };
    }
    // An update reads the same, over a value of its own.
    const seed = reads[reads.length - 1]![0];
    for (const [at, [given, value]] of reads.entries()) {
      const { id } = await createProduct(`u-${at}`, { value: seed });
      const updated = await app.api.products.update.mutate({ id, attributes: { value: given } });
      expect(updated.attributes, `update with ${JSON.stringify(given)}`).toEqual({ value });
      stored[`u-${at}`] = { value };
    }
    const { id: kept } = await createProduct("kept", { value: seed });
    stored.kept = (await app.api.products.get.query({ id: kept })).attributes;

    for (const [given, problem] of refuses) {
      const onCreate = await refusal("products.create", { sku: "refused", name: "Refused", attributes: { value: given } });
      expect(onCreate.code, `create with ${JSON.stringify(given)}`).toBe("BAD_REQUEST");
      expect(onCreate.message).toContain("attributes.value");
      expect(onCreate.message).toMatch(problem);
      if (typeof given === "string") expect(onCreate.message).toContain(given.slice(0, 20));
      const onUpdate = await refusal("products.update", { id: kept, attributes: { value: given } });
      expect(onUpdate.code, `update with ${JSON.stringify(given)}`).toBe("BAD_REQUEST");
      expect(onUpdate.message).toMatch(problem);
    }
    // Nothing refused was written.
    expect(await attributesBySku()).toEqual(stored);
  });

  it("takes blank text, an empty list or null as no value: the key is absent", async () => {
    await defineField("Material", "text");
    await defineField("Colours", "list");
    const blank = await createProduct("b-1", { material: "   ", colours: [] });
    const nulls = await createProduct("b-2", { material: null, colours: "" });
    expect([blank.attributes, nulls.attributes]).toEqual([{}, {}]);
  });
});

describe("products.update's attributes", () => {
  async function seedFields() {
    await defineField("Material", "text");
    await defineField("Fit", "choice", { options: ["Slim", "Regular"] });
    await defineField("Width", "number");
  }

  it("merges by key, clears a key set to null, and leaves the attributes alone when not given", async () => {
    await seedFields();
    const product = await createProduct("m-1", { material: "Cotton", fit: "slim", width: 2 });
    expect(product.attributes).toEqual({ material: "Cotton", fit: "Slim", width: 2 });

    let now = { ...product.attributes };
    const merged = await app.api.products.update.mutate({ id: product.id, attributes: { width: "3,5" } });
    now = { ...now, width: 3.5 };
    expect(merged.attributes).toEqual(now);

    const cleared = await app.api.products.update.mutate({ id: product.id, attributes: { fit: null, material: "Wool" } });
    const { fit: _gone, ...withoutFit } = now;
    now = { ...withoutFit, material: "Wool" };
    expect(cleared.attributes).toEqual(now);
    expect(Object.keys(cleared.attributes)).not.toContain("fit");

    const renamed = await app.api.products.update.mutate({ id: product.id, name: "Renamed" });
    expect(renamed.attributes).toEqual(now);
    const untouched = await app.api.products.update.mutate({ id: product.id, attributes: {} });
    expect(untouched.attributes).toEqual(now);
    expect((await app.api.products.get.query({ id: product.id })).attributes).toEqual(now);
  });

  it("refuses an unknown key with BAD_REQUEST naming it, and writes none of the call's values", async () => {
    await seedFields();
    const product = await createProduct("m-1", { material: "Cotton" });
    const onUpdate = await refusal("products.update", { id: product.id, attributes: { material: "Silk", colour: "red" } });
    expect(onUpdate.code).toBe("BAD_REQUEST");
    expect(onUpdate.message).toContain("attributes.colour");
    const onCreate = await refusal("products.create", { sku: "m-2", name: "Two", attributes: { origin_country: "DE" } });
    expect(onCreate.code).toBe("BAD_REQUEST");
    expect(onCreate.message).toContain("attributes.origin_country");
    expect(await attributesBySku()).toEqual({ "m-1": { material: "Cotton" } });
  });

  it("refuses a wrong value among good ones whole: nothing of the call is written", async () => {
    await seedFields();
    const product = await createProduct("m-1", { material: "Cotton", width: 1 });
    const answer = await refusal("products.update", { id: product.id, name: "Changed", attributes: { material: "Silk", fit: "Huge" } });
    expect(answer.code).toBe("BAD_REQUEST");
    expect(answer.message).toContain("attributes.fit");
    expect(answer.message).toContain("Huge");
    expect(answer.message).toContain("Slim, Regular");
    const after = await app.api.products.get.query({ id: product.id });
    expect([after.name, after.attributes]).toEqual([product.name, { material: "Cotton", width: 1 }]);
  });

  it("sends product.updated with the earlier attributes in previous, and no attributes there when they did not change", async () => {
    await seedFields();
    const product = await createProduct("e-1", { material: "Cotton", fit: "Regular" });
    const first = await app.api.products.update.mutate({ id: product.id, attributes: { fit: "slim", width: "4" } });
    await app.api.products.update.mutate({ id: product.id, name: "Only the name" });
    const second = await app.api.products.update.mutate({ id: product.id, attributes: { material: null } });

    const updates = (await recordedEvents(app)).filter((event) => event.type === "product.updated").map((event) => event.data);
    expect(updates).toHaveLength(3);
    expect(updates[0]).toMatchObject({ id: product.id, attributes: first.attributes, previous: { attributes: product.attributes } });
    expect(updates[1].previous).toEqual({ name: product.name });
    expect(updates[2]).toMatchObject({ attributes: second.attributes, previous: { attributes: first.attributes } });
    expect(second.attributes).toEqual({ fit: "Slim", width: 4 });
  });
});

describe("a required field", () => {
  it("must be given on create and cannot be cleared by an update; other values still change", async () => {
    await defineField("Country of origin", "text", { required: true });
    await defineField("Material", "text");
    for (const attributes of [{}, { material: "Cotton" }, { country_of_origin: "  " }, { country_of_origin: null }]) {
      const answer = await refusal("products.create", { sku: "r-0", name: "Refused", attributes });
      expect(answer.code, JSON.stringify(attributes)).toBe("BAD_REQUEST");
      expect(answer.message).toContain("attributes.country_of_origin");
      expect(answer.message).toContain("Country of origin");
      expect(answer.message).toMatch(/required/);
    }
    expect(await attributesBySku()).toEqual({});

    const product = await createProduct("r-1", { country_of_origin: "Portugal" });
    for (const cleared of [null, "", "   "]) {
      const answer = await refusal("products.update", { id: product.id, attributes: { country_of_origin: cleared } });
      expect(answer.code, JSON.stringify(cleared)).toBe("BAD_REQUEST");
      expect(answer.message).toContain("attributes.country_of_origin");
    }
    const changed = await app.api.products.update.mutate({ id: product.id, attributes: { material: "Linen" } });
    expect(changed.attributes).toEqual({ country_of_origin: "Portugal", material: "Linen" });
    const moved = await app.api.products.update.mutate({ id: product.id, attributes: { country_of_origin: "Spain" } });
    expect(await attributesBySku()).toEqual({ "r-1": moved.attributes });
    expect(moved.attributes).toEqual({ country_of_origin: "Spain", material: "Linen" });
  });
});

describe("fields.update", () => {
  /** A type change that converts: the values given through the API, and each stored after the change. */
  const CONVERSIONS: { from: FieldType; to: FieldType; values: [given: unknown, after: Value][] }[] = [
    {
      from: "text",
      to: "integer",
      values: [
        ["12", 12],
        [" -3 ", -3],
        ["0", 0],
      ],
    },
    {
      from: "number",
      to: "text",
      values: [
        [12.5, "12.5"],
        [-3, "-3"],
        ["0,25", "0.25"],
      ],
    },
    {
      from: "list",
      to: "text",
      values: [
        [["a", "b"], "a, b"],
        ["solo", "solo"],
      ],
    },
    {
      from: "text",
      to: "list",
      values: [
        ["a, b, A", ["a", "b"]],
        ["solo", ["solo"]],
      ],
    },
    {
      from: "integer",
      to: "number",
      values: [
        [3, 3],
        [-40, -40],
      ],
    },
    {
      from: "boolean",
      to: "text",
      values: [
        [true, "true"],
        ["no", "false"],
      ],
    },
    {
      from: "text",
      to: "boolean",
      values: [
        ["yes", true],
        ["0", false],
      ],
    },
    {
      from: "text",
      to: "date",
      values: [
        ["31.12.2026", "2026-12-31"],
        ["2026-01-05", "2026-01-05"],
      ],
    },
    { from: "date", to: "text", values: [["2026-12-31", "2026-12-31"]] },
    { from: "choice", to: "text", values: [["slim", "Slim"]] },
    { from: "text", to: "url", values: [["https://example.com/a", "https://example.com/a"]] },
  ];

  it.each(CONVERSIONS.map((entry) => [entry.from, entry.to, entry] as const))(
    "from %s to %s rewrites every stored value and leaves products without one and other fields alone",
    async (from, to, { values }) => {
      await defineField("Spec", from, from === "choice" ? { options: ["Slim", "Regular"] } : {});
      await defineField("Note", "text");
      const expected: Record<string, Record<string, Value>> = {};
      for (const [at, [given, after]] of values.entries()) {
        await createProduct(`v-${at}`, { spec: given, note: `note ${at}` });
        expected[`v-${at}`] = { spec: after, note: `note ${at}` };
      }
      await createProduct("none", { note: "without spec" });
      expected.none = { note: "without spec" };

      const field = await app.api.fields.update.mutate({ key: "spec", type: to });
      expect(field).toMatchObject({ key: "spec", label: "Spec", type: to, options: null, required: false });
      expect(await fieldNamed("spec")).toEqual(field);
      expect(await attributesBySku()).toEqual(expected);
    },
  );

  it("refuses a type change some value does not survive with CONFLICT naming examples, and changes nothing", async () => {
    await defineField("Spec", "text");
    const values = ["12", "abc", "xyz", "abc", "1,5 cm"];
    for (const [at, value] of values.entries()) await createProduct(`t-${at}`, { spec: value });
    const before = await attributesBySku();
    const fieldBefore = await fieldNamed("spec");

    const answer = await refusal("fields.update", { key: "spec", type: "number", label: "Spec (mm)" });
    expect(answer.code).toBe("CONFLICT");
    const unreadable = values.filter((value) => !/^-?\d+$/.test(value));
    for (const value of new Set(unreadable)) expect(answer.message).toContain(`"${value}"`);
    expect(answer.message).toContain(`${unreadable.length} products`);
    expect(answer.message).not.toContain('"12"');

    expect(await fieldNamed("spec")).toEqual(fieldBefore);
    expect(await attributesBySku()).toEqual(before);
    expect(before["t-0"]).toEqual({ spec: "12" });
  });

  it("refuses shrinking a choice's options while a product holds a removed one, and converts when none does", async () => {
    await defineField("Size", "choice", { options: ["S", "M", "L", "XL"] });
    await createProduct("s-1", { size: "s" });
    await createProduct("s-2", { size: "L" });
    await createProduct("s-3", { size: "l" });
    const before = await attributesBySku();
    expect(before).toEqual({ "s-1": { size: "S" }, "s-2": { size: "L" }, "s-3": { size: "L" } });

    const answer = await refusal("fields.update", { key: "size", options: ["S", "M"] });
    expect(answer.code).toBe("CONFLICT");
    expect(answer.message).toContain('"L"');
    const holdingL = Object.values(before).filter((attributes) => attributes.size === "L").length;
    expect(answer.message).toContain(`${holdingL} products`);
    expect((await fieldNamed("size"))!.options).toEqual(["S", "M", "L", "XL"]);
    expect(await attributesBySku()).toEqual(before);

    // XL is held by no product: it may go. A respelled option respells the values holding it.
    const shrunk = await app.api.fields.update.mutate({ key: "size", options: ["s", "M", "l"] });
    expect(shrunk).toMatchObject({ type: "choice", options: ["s", "M", "l"] });
    const respelled = Object.fromEntries(Object.entries(before).map(([sku, { size }]) => [sku, { size: String(size).toLowerCase() }]));
    expect(await attributesBySku()).toEqual(respelled);
    expect((await refusal("fields.update", { key: "size", options: ["s", "M"] })).code).toBe("CONFLICT");
    expect(await attributesBySku()).toEqual(respelled);
    const refreshed = await app.api.fields.update.mutate({ key: "size", options: ["S", "M", "L"] });
    expect(refreshed.options).toEqual(["S", "M", "L"]);
    expect(await attributesBySku()).toEqual(before);
  });

  it("changes only the label when only the label is given", async () => {
    const created = await defineField("Fit", "choice", { options: ["Slim", "Regular"], required: true });
    await createProduct("f-1", { fit: "slim" });
    const before = await attributesBySku();
    const renamed = await app.api.fields.update.mutate({ key: "fit", label: "Passform" });
    expect(renamed).toEqual({ ...created, label: "Passform" });
    expect(await app.api.fields.list.query({})).toEqual([renamed]);
    expect(await attributesBySku()).toEqual(before);
  });

  it("answers NOT_FOUND for a field that does not exist, and BAD_REQUEST for a choice left without options", async () => {
    expect((await refusal("fields.update", { key: "nothing_here", label: "X" })).code).toBe("NOT_FOUND");
    await defineField("Note", "text");
    expect((await refusal("fields.update", { key: "note", type: "choice" })).code).toBe("BAD_REQUEST");
    expect((await refusal("fields.update", { key: "note", type: "choice", options: [] })).code).toBe("BAD_REQUEST");
    expect(await fieldNamed("note")).toMatchObject({ type: "text", options: null });
  });
});

describe("fields.usage and fields.delete", () => {
  it("count the products holding a value; a delete takes it off every product and says how many held one", async () => {
    await defineField("Material", "text");
    await defineField("Fit", "choice", { options: ["Slim", "Regular"] });
    const seeded: Record<string, Record<string, unknown>> = {
      "d-1": { material: "Cotton", fit: "Slim" },
      "d-2": { material: "Wool" },
      "d-3": { material: "Linen", fit: "Regular" },
      "d-4": { fit: "Slim" },
      "d-5": {},
    };
    for (const [sku, attributes] of Object.entries(seeded)) await createProduct(sku, attributes);
    const holding = (key: string) => Object.values(seeded).filter((attributes) => key in attributes).length;

    expect(await app.api.fields.usage.query({ key: "material" })).toEqual({ key: "material", products: holding("material") });
    expect(await app.api.fields.usage.query({ key: "fit" })).toEqual({ key: "fit", products: holding("fit") });

    expect(await app.api.fields.delete.mutate({ key: "material" })).toEqual({ key: "material", cleared: holding("material") });
    const expected = Object.fromEntries(Object.entries(seeded).map(([sku, { material: _gone, ...rest }]) => [sku, rest]));
    expect(await attributesBySku()).toEqual(expected);
    expect((await app.api.fields.list.query({})).map((field) => field.key)).toEqual(["fit"]);
    expect(await app.api.fields.usage.query({ key: "material" })).toEqual({ key: "material", products: 0 });
    expect((await refusal("fields.delete", { key: "material" })).code).toBe("NOT_FOUND");

    // The key is free again, and starts empty: no product kept the old value.
    await defineField("Material", "number");
    expect(await app.api.fields.usage.query({ key: "material" })).toEqual({ key: "material", products: 0 });
    expect(await attributesBySku()).toEqual(expected);
  });
});

describe("products.list's attributes filter", () => {
  /** 60 products: fit cycling Slim / Regular / none, colours holding "Navy" on every fourth, widths 0.5 to 30, pieces 1 to 60. */
  async function seedCatalog() {
    await defineField("Fit", "choice", { options: ["Slim", "Regular"] });
    await defineField("Colours", "list");
    await defineField("Width", "number");
    await defineField("Pieces", "integer");
    const products = Array.from({ length: 60 }, (_, index) => ({
      sku: `f-${String(index).padStart(2, "0")}`,
      fit: ["Slim", "Regular", undefined][index % 3],
      colours: index % 4 === 0 ? ["Grey", "Navy"] : ["Navy blue"],
      width: (index + 1) / 2,
      pieces: index + 1,
    }));
    for (const { sku, ...attributes } of products) await createProduct(sku, attributes);
    return products;
  }
  const skusListed = async (attributes: Record<string, unknown>) => {
    const page = await app.api.products.list.query({ attributes: attributes as never, pageSize: 200, sort: "sku" });
    expect(page.totalExact).toBe(true);
    expect(page.total).toBe(page.items.length);
    return page.items.map((item) => item.sku);
  };

  it("finds a choice by its option in any case, a list by one whole item, and numbers within a range, bounds included", async () => {
    const products = await seedCatalog();
    const skusWhere = (keep: (product: (typeof products)[number]) => boolean) => products.filter(keep).map((product) => product.sku);

    expect(await skusListed({ fit: "slim" })).toEqual(skusWhere((product) => product.fit === "Slim"));
    // A whole item as written: "navy" is not "Navy", and "Navy" (below) is not "Navy blue".
    expect(await skusListed({ colours: "navy" })).toEqual([]);
    expect(await skusListed({ colours: "Navy" })).toEqual(skusWhere((product) => product.colours.includes("Navy")));
    // A number field's bounds read as its cells do (a decimal comma), both included.
    expect(await skusListed({ width: { min: "10,5", max: 12 } })).toEqual(skusWhere((product) => product.width >= 10.5 && product.width <= 12));
    expect(await skusListed({ pieces: { min: 55 } })).toEqual(skusWhere((product) => product.pieces >= 55));
    expect(await skusListed({ fit: "Regular", width: { max: 5 } })).toEqual(skusWhere((product) => product.fit === "Regular" && product.width <= 5));
    // A blank value or an empty range narrows nothing.
    expect(await skusListed({ fit: " ", width: {} })).toHaveLength(60);
  });

  it("refuses an unknown field, a value its field refuses and a range on a field without an order, naming the field", async () => {
    await seedCatalog();
    for (const [attributes, message] of [
      [{ size: "L" }, /attributes\.size is not a field/],
      [{ fit: "Loose" }, /attributes\.fit "Loose" is not one of the options/],
      [{ width: { min: "wide" } }, /attributes\.width "wide" is not a number/],
      [{ fit: { min: "Slim" } }, /attributes\.fit is a choice field: filter it by a value, not a range/],
    ] as const) {
      const refused = await refusal("products.list", { attributes });
      expect(refused.code, JSON.stringify(attributes)).toBe("BAD_REQUEST");
      expect(refused.message).toMatch(message);
    }
  });
});
