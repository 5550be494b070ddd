export { startMoto, MotoMissingError, type Moto } from "./moto.js";
export { seedStudentSystem } from "./seed/student-system.js";
export { leftAndLost, type SeedTarget, type SeedResult, type SeededResource } from "./seed/types.js";
