import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
describe("toolchain", () => { it("loads pulumi", () => { expect(typeof pulumi.output).to.equal("function"); }); });
