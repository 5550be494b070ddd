/**
 * Contract fixtures (`testResourceType`) for this plugin's types, on the
 * in-memory accounts of `fake-eventbridge.ts` and `fake-scheduler.ts`. Each
 * seeds what a delete has to undo: buses hold rules with targets, rules have
 * targets, schedule groups hold schedules and are deleted asynchronously.
 */
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import type { ContractFixture } from "@cleanup-runner/plugin-kit/contract";
import { mockClient } from "aws-sdk-client-mock";
import { FakeEventBridge } from "./fake-eventbridge.js";
import { FakeScheduler } from "./fake-scheduler.js";

/** Custom buses, each with a rule and its targets; no default bus, so the account holds exactly what is seeded. */
export function eventBusFixture(): ContractFixture {
  const stub = mockClient(EventBridgeClient);
  let fake = new FakeEventBridge({ withDefaultBus: false });
  return {
    seed(resources) {
      stub.reset();
      fake = new FakeEventBridge({ withDefaultBus: false });
      for (const r of resources) fake.addBus(r.name, r.tags).addRule(r.name, `${r.name}-rule`, 3);
      fake.install(stub);
    },
    present: () => [...fake.buses.keys()],
  };
}

/** Rules with targets on the default bus. */
export function ruleFixture(): ContractFixture {
  const stub = mockClient(EventBridgeClient);
  let fake = new FakeEventBridge();
  return {
    seed(resources) {
      stub.reset();
      fake = new FakeEventBridge();
      fake.pageSize = 10;
      for (const r of resources) fake.addRule("default", r.name, 2, r.tags ? { tags: r.tags } : {});
      fake.install(stub);
    },
    present: () => [...fake.buses.values()].flatMap((bus) => [...bus.rules.keys()]),
  };
}

/** Schedules spread over the default group and a group of their own. */
export function scheduleFixture(): ContractFixture {
  const stub = mockClient(SchedulerClient);
  let fake = new FakeScheduler();
  return {
    seed(resources) {
      stub.reset();
      fake = new FakeScheduler().addGroup("contract-schedules");
      resources.forEach((r, i) => fake.addSchedule(i % 2 ? "contract-schedules" : "default", r.name));
      fake.install(stub);
    },
    present: () => [...fake.groups.values()].flatMap((group) => [...group.schedules]),
  };
}

/** Groups holding two schedules each; no default group, so the account holds exactly what is seeded. */
export function scheduleGroupFixture(): ContractFixture {
  const stub = mockClient(SchedulerClient);
  let fake = new FakeScheduler({ withDefaultGroup: false });
  return {
    seed(resources) {
      stub.reset();
      fake = new FakeScheduler({ withDefaultGroup: false });
      for (const r of resources)
        fake.addGroup(r.name, r.tags).addSchedule(r.name, "nightly").addSchedule(r.name, "weekly");
      fake.install(stub);
    },
    present: () => [...fake.groups.keys()],
    advance: () => fake.finishDeletes(),
  };
}
