import { describe, expect, it } from "vitest";
import { hasIcon } from "../src/image/prompt/icons";
import { parseScene } from "../src/image/prompt/parse-scene";
import { FOREIGN_SUBJECTS, SUBJECT_WORDS } from "../src/image/prompt/vocabulary";

// Each prompt and the parts of the scene it must give.
const TABLE: [string, Record<string, unknown>][] = [
  [
    "misty mountain lake at sunrise",
    { settings: ["mountains", "lake"], timeOfDay: "sunrise", weather: ["mist"] },
  ],
  ["a quiet harbour at dawn", { settings: ["harbour"], timeOfDay: "dawn", mood: "calm" }],
  ["city skyline at night", { settings: ["city"], timeOfDay: "night" }],
  ["desert dunes at sunset", { settings: ["desert"], timeOfDay: "sunset" }],
  ["pine forest in the fog", { settings: ["forest"], weather: ["fog"] }],
  ["snowy mountains in winter", { settings: ["mountains"], season: "winter", weather: ["snow"] }],
  ["stormy sea with lightning", { settings: ["sea"], weather: ["storm"] }],
  ["lavender fields at golden hour", { settings: ["fields"], timeOfDay: "golden_hour" }],
  [
    "red ceramic mug",
    { product: "mug", materials: ["ceramic"], colors: [{ name: "red", hex: "#c8102e" }], label: null },
  ],
  ["blue running shoes", { product: "shoe", colors: [{ name: "blue", hex: "#1d4ed8" }], label: null }],
  [
    'perfume bottle "Nuit Blanche" on marble',
    { product: "perfume", surface: "marble", label: "Nuit Blanche" },
  ],
  ["craft beer bottle, brown glass", { product: "bottle", materials: ["glass"] }],
  ["shoe box", { product: "box" }],
  ["glass jar of honey by Beeline on a wooden table", { product: "jar", surface: "wood", label: "Beeline" }],
  [
    "matte black headphones on concrete",
    { product: "headphones", materials: ["matte"], surface: "concrete" },
  ],
  ["Smartwatch with a silver strap", { product: "watch", label: null }],
  ["summer strawberries", { season: "summer", subjects: ["strawberry", "sun"] }],
  [
    "How we cut our cloud bill with Postgres",
    { mood: "tech", subjects: expect.arrayContaining(["elephant"]) },
  ],
  ["如何在家里种植西红柿", { scripts: ["chinese"], direction: "ltr" }],
  ["東京の春", { scripts: ["japanese"], subjects: ["mount-fuji", "cherry-blossom"] }],
  ["서울의 가을", { scripts: ["korean"] }],
  ["مرحبا بكم", { scripts: ["arabic"], direction: "rtl" }],
  ["שבת שלום", { scripts: ["hebrew"], direction: "rtl" }],
  ["Новая коллекция", { scripts: ["cyrillic"], direction: "ltr" }],
  ["Weekend coffee ☕", { scripts: ["emoji"], subjects: expect.arrayContaining(["hot-beverage"]) }],
];

describe("parseScene", () => {
  it.each(TABLE)("reads %j", (prompt, expected) => {
    expect(parseScene(prompt)).toMatchObject(expected);
  });

  it("is pure and plain JSON", () => {
    const prompt = "a quiet harbour at dawn with boats";
    const scene = parseScene(prompt);
    expect(parseScene(prompt)).toEqual(scene);
    expect(JSON.parse(JSON.stringify(scene))).toEqual(scene);
  });

  it("never takes the first word for a label", () => {
    expect(parseScene("Ceramic mug in red").label).toBeNull();
    expect(parseScene("Premium red can").label).toBeNull();
  });

  it("names only icons the bundled set has", () => {
    for (const [, icon] of [...SUBJECT_WORDS, ...FOREIGN_SUBJECTS]) expect(hasIcon(icon), icon).toBe(true);
  });

  it("copes with a very long prompt", () => {
    expect(parseScene("mountain ".repeat(5000)).settings).toEqual(["mountains"]);
  });
});
