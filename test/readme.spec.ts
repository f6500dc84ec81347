import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { KEY_SPECS } from "../components/config";

const root = join(__dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const scripts = Object.keys(
    (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
);

describe("README stays true to the code", () => {
    it("documents every config key the program reads", () => {
        const undocumented = KEY_SPECS.map((s) => s.key).filter((key) => !readme.includes(`| \`${key}\` |`));
        expect(undocumented).to.deep.equal([]);
    });

    it("names only npm scripts that exist", () => {
        const named = [...readme.matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]);
        expect(named).to.include.members(["promote", "typecheck", "bench"]);
        expect(named.filter((s) => !scripts.includes(s))).to.deep.equal([]);
    });

    it("gives the two set-up commands: the main job and the tests", () => {
        expect(readme).to.include("npm ci && npm run promote -- --plan");
        expect(readme).to.include("npm ci && npm test");
    });
});
