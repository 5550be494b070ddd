export { startMoto, freePort, MotoMissingError, type Moto } from "./moto.js";
export { seedStudentSystem, seeds, type Seed } from "./seed/student-system.js";
export { clientConfig, leftAndLost, type SeedTarget, type SeedResult, type SeededResource } from "./seed/types.js";
