#!/usr/bin/env -S node --optimize-for-size
// --optimize-for-size: the runner waits on the network, not the CPU, so it trades V8's speed for a heap
// that grows less between collections (at 100 workshop copies its peak RSS drops from 265-360 MB to
// about 180 MB; see docs/performance.md). pnpm's and npm's bin shims pass the flag on.
// Runs the CLI from its TypeScript source (Node 20 cannot strip types itself).
import { register } from "tsx/esm/api";

register();
await import("../src/bin.ts");
