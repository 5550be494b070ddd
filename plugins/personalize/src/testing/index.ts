/** Test helpers of the Personalize plugin: a simulated account and the workshop's footprint in it. */
export * from "./fake-account.js";
export * from "./workshop-account.js";
export * from "./contract-fixture.js";
