export { startMoto, freePort, MotoMissingError, type Moto } from "./moto.js";
