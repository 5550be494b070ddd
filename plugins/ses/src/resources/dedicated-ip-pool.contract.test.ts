import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeSesAccount } from "../testing/fake-ses.js";
import { dedicatedIpPool } from "./dedicated-ip-pool.js";

testResourceType(dedicatedIpPool, { fixture: fakeSesAccount("dedicated-ip-pool"), count: 25 });
