import {
  APIGatewayClient,
  APIGatewayServiceException,
  BadRequestException,
  DeleteApiKeyCommand,
  DeleteRestApiCommand,
  DeleteUsagePlanCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanCommand,
  GetUsagePlansCommand,
  NotFoundException,
  TooManyRequestsException,
  UpdateUsagePlanCommand,
} from "@aws-sdk/client-api-gateway";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakeApiGateway, type FakeUsagePlan } from "../testing/fake-apigateway.js";
import { restApi, type RestApiOptions } from "./rest-api.js";

const api = mockClient(APIGatewayClient);
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

/** The account's usage plans, on the in-memory API Gateway that keeps AWS's rules for them. */
function usagePlansOfAccount(plans: FakeUsagePlan[]) {
  const fake = new FakeApiGateway();
  for (const plan of plans) fake.addUsagePlan(plan);
  fake.installUsagePlans(api);
  return { plans: fake.usagePlans, apiKeys: fake.apiKeys };
}

function commandNames(): string[] {
  return api.calls().map((call) => (call.args[0] as object).constructor.name);
}

const backend = { id: "a1b2c3", name: "student-backend-api" };

const studentKey = { id: "k1", name: "student-key" };
/** Held by the student plan and the partner plan alike. */
const sharedKey = { id: "k2", name: "shared-key" };

/** A usage plan serving the backend's prod stage only; a fresh one each time, as tests change it. */
function studentPlan(keys: FakeUsagePlan["keys"] = []): FakeUsagePlan {
  return { id: "up1", name: "student-plan", apiStages: [{ apiId: backend.id, stage: "prod" }], keys };
}

/** A usage plan of another project's API that holds the shared key. */
function partnerPlan(): FakeUsagePlan {
  return { id: "up3", name: "partner-plan", apiStages: [{ apiId: "zz9", stage: "prod" }], keys: [sharedKey] };
}

/** A server fault from DeleteRestApi (moto answers one for an id it does not know). */
function internalFailure(): APIGatewayServiceException {
  return new APIGatewayServiceException({ name: "InternalFailure", $fault: "server", message: "boom", ...meta(500) });
}

/** DeleteUsagePlan's refusal of up1 while (AWS says) the backend's prod stage is still in it. */
function stagesStillAssociated(): BadRequestException {
  return new BadRequestException({
    message: `Cannot delete Usage Plan up1 because there are API Stages associated with it, including ${backend.id}:prod`,
    ...meta(400),
  });
}

/**
 * The backend planned with its prod stage, on an account whose usage plans are
 * `plans`; the calls planning made are then forgotten, so a test sees delete's.
 */
async function planBackend(plans: FakeUsagePlan[], options: Partial<RestApiOptions> = {}) {
  const account = usagePlansOfAccount(plans);
  api.on(GetStagesCommand).resolves({ item: [{ stageName: "prod" }] });
  const ctx = testContext<RestApiOptions>({ resource: restApi, options });
  const planned = await restApi.describe!(ctx, backend);
  api.resetHistory();
  return { ...account, ctx, planned };
}

beforeEach(() => {
  api.reset();
});

describe("apigateway.rest-api discover", () => {
  it("follows every page and yields id, name, arn, tags and creation date", async () => {
    api.on(GetRestApisCommand).callsFake((input: { position?: string }) =>
      input.position === "p2"
        ? { items: [{ id: "zz9", name: "other-project-api" }] }
        : {
            items: [
              {
                id: "a1b2c3",
                name: "student-backend-api",
                createdDate: new Date("2024-03-01T10:00:00Z"),
                tags: { team: "x" },
              },
            ],
            position: "p2",
          },
    );
    const found = await collect(
      restApi.discover(testContext<RestApiOptions>({ resource: restApi, region: "ap-southeast-1" }), {}),
    );
    expect(found).toEqual([
      {
        id: "a1b2c3",
        name: "student-backend-api",
        arn: "arn:aws:apigateway:ap-southeast-1::/restapis/a1b2c3",
        tags: { team: "x" },
        createdAt: "2024-03-01T10:00:00.000Z",
      },
      { id: "zz9", name: "other-project-api", arn: "arn:aws:apigateway:ap-southeast-1::/restapis/zz9", tags: {} },
    ]);
    expect(api).toHaveReceivedCommandTimes(GetRestApisCommand, 2);
    expect(api).toHaveReceivedNthCommandWith(GetRestApisCommand, 2, { position: "p2" });
  });
});

describe("apigateway.rest-api declaration", () => {
  it("paces DeleteRestApi at 1 call per 30 s per account and depends on custom domains going first", () => {
    expect(restApi.rateBudgets).toEqual([
      { key: "apigateway:DeleteRestApi", calls: 1, perMs: 30_000, scope: "account" },
    ]);
    expect(restApi.dependsOn).toEqual(["apigateway.domain-name"]);
  });

  it("keeps usage plans unless the entry opts in", () => {
    expect(testContext<RestApiOptions>({ resource: restApi }).options).toEqual({ deleteUsagePlans: false });
  });
});

describe("apigateway.rest-api describe", () => {
  beforeEach(() => {
    api
      .on(GetStagesCommand, { restApiId: backend.id })
      .resolves({ item: [{ stageName: "prod" }, { stageName: "dev" }] });
  });

  it("shows the stages and the usage plan associations it removes, and says the usage plans are kept", async () => {
    usagePlansOfAccount([
      studentPlan([studentKey]),
      { id: "up9", name: "other-plan", apiStages: [{ apiId: "zz9", stage: "prod" }], keys: [] },
    ]);
    const described = await restApi.describe!(testContext<RestApiOptions>({ resource: restApi }), backend);
    expect(described.children).toEqual([
      { kind: "stages", count: 2, note: "prod, dev" },
      { kind: "usage plan associations (removed first)", count: 1, note: "student-plan (prod)" },
    ]);
    expect(described.notes).toEqual([
      expect.stringContaining("usage plan student-plan is kept with its API keys (student-key)"),
    ]);
    expect(described.details?.usagePlans).toEqual([
      {
        id: "up1",
        name: "student-plan",
        stages: ["prod"],
        otherStages: [],
        apiKeys: [{ id: "k1", name: "student-key" }],
      },
    ]);
    // Reading whether keys serve other plans is only paid for with the option.
    expect(api).not.toHaveReceivedCommandWith(GetUsagePlansCommand, { keyId: "k1" });
  });

  it("with deleteUsagePlans, lists the usage plans and API keys that go, and what is kept", async () => {
    usagePlansOfAccount([
      studentPlan([studentKey, sharedKey]),
      {
        id: "up2",
        name: "student-shared-plan",
        apiStages: [
          { apiId: backend.id, stage: "dev" },
          { apiId: "zz9", stage: "prod" },
        ],
        keys: [],
      },
      partnerPlan(),
    ]);
    const ctx = testContext<RestApiOptions>({ resource: restApi, options: { deleteUsagePlans: true } });
    const described = await restApi.describe!(ctx, backend);
    expect(described.children).toEqual([
      { kind: "stages", count: 2, note: "prod, dev" },
      {
        kind: "usage plan associations (removed first)",
        count: 2,
        note: "student-plan (prod); student-shared-plan (dev)",
      },
      { kind: "usage plans", count: 1, note: "student-plan" },
      { kind: "API keys", count: 1, note: "student-key" },
    ]);
    expect(described.notes).toEqual([
      "API key shared-key is kept: usage plan(s) partner-plan also hold it",
      expect.stringMatching(
        /^usage plan student-shared-plan also serves zz9:prod: it is deleted only if no stage is left/,
      ),
    ]);
  });
  it("reads the region's usage plans once for every REST API it describes", async () => {
    usagePlansOfAccount([
      studentPlan(),
      { id: "up9", name: "other-plan", apiStages: [{ apiId: "zz9", stage: "prod" }], keys: [] },
    ]);
    api.on(GetStagesCommand).resolves({ item: [{ stageName: "prod" }] });
    const ctx = testContext<RestApiOptions>({ resource: restApi });
    const [first, second] = await Promise.all([
      restApi.describe!(ctx, backend),
      restApi.describe!(ctx, { id: "zz9", name: "other-project-api" }),
    ]);
    expect(api).toHaveReceivedCommandTimes(GetUsagePlansCommand, 1);
    expect(first?.details?.usagePlans).toMatchObject([{ id: "up1", stages: ["prod"] }]);
    expect(second?.details?.usagePlans).toMatchObject([{ id: "up9", stages: ["prod"] }]);
  });
});

describe("apigateway.rest-api delete", () => {
  it("removes the API's stages from its usage plans, then deletes the API (usage plans kept by default)", async () => {
    const { plans } = usagePlansOfAccount([
      {
        id: "up1",
        name: "student-plan",
        apiStages: [
          { apiId: backend.id, stage: "prod" },
          { apiId: backend.id, stage: "dev" },
        ],
        keys: [studentKey],
      },
    ]);
    api.on(DeleteRestApiCommand).resolves({});
    await restApi.delete(testContext<RestApiOptions>({ resource: restApi }), backend);
    expect(commandNames()).toEqual(["GetUsagePlansCommand", "UpdateUsagePlanCommand", "DeleteRestApiCommand"]);
    expect(api).toHaveReceivedCommandWith(UpdateUsagePlanCommand, {
      usagePlanId: "up1",
      patchOperations: [
        { op: "remove", path: "/apiStages", value: "a1b2c3:prod" },
        { op: "remove", path: "/apiStages", value: "a1b2c3:dev" },
      ],
    });
    expect(plans).toHaveLength(1);
    expect(api).not.toHaveReceivedCommand(DeleteApiKeyCommand);
  });

  it("with deleteUsagePlans, deletes the emptied usage plan and its keys no other plan holds, once the API is gone", async () => {
    const { plans, apiKeys, ctx, planned } = await planBackend([studentPlan([studentKey, sharedKey]), partnerPlan()], {
      deleteUsagePlans: true,
    });
    api.on(DeleteRestApiCommand).resolves({});

    await restApi.delete(ctx, planned);

    expect(plans.map((p) => p.id)).toEqual(["up3"]);
    expect([...apiKeys]).toEqual(["k2"]);
    // The plan's usage plans: no listing, and DeleteUsagePlan itself refuses a plan that still serves a stage.
    // The shared key, which the plan showed kept, is not read again.
    expect(commandNames()).toEqual([
      "UpdateUsagePlanCommand",
      "DeleteRestApiCommand",
      "DeleteUsagePlanCommand",
      "GetUsagePlansCommand",
      "DeleteApiKeyCommand",
    ]);
    expect(api).toHaveReceivedNthCommandWith(GetUsagePlansCommand, 1, { keyId: "k1", limit: 1 });
    expect(api).toHaveReceivedCommandExactlyOnceWith(DeleteApiKeyCommand, { apiKey: "k1" });
  });

  it("with deleteUsagePlans, keeps an API key the plan showed kept, even once its other usage plan went", async () => {
    const { plans, apiKeys, ctx, planned } = await planBackend([studentPlan([studentKey, sharedKey]), partnerPlan()], {
      deleteUsagePlans: true,
    });
    expect(planned.notes).toEqual(["API key shared-key is kept: usage plan(s) partner-plan also hold it"]);
    // The partner plan goes after the plan (its own API deleted in the same run, say): nothing holds the key now.
    plans.splice(1, 1);
    api.on(DeleteRestApiCommand).resolves({});

    await restApi.delete(ctx, planned);

    expect(plans).toEqual([]);
    expect([...apiKeys]).toEqual(["k2"]);
    expect(api).toHaveReceivedCommandExactlyOnceWith(DeleteApiKeyCommand, { apiKey: "k1" });
  });

  it("removes the API from the usage plans the plan recorded, without listing them again", async () => {
    const { plans, ctx, planned } = await planBackend([studentPlan()]);
    api.on(DeleteRestApiCommand).resolves({});

    await restApi.delete(ctx, planned);

    expect(commandNames()).toEqual(["UpdateUsagePlanCommand", "DeleteRestApiCommand"]);
    expect(plans[0]?.apiStages).toEqual([]);
  });

  it("reads the usage plans fresh when the plan's record of them is malformed", async () => {
    usagePlansOfAccount([studentPlan()]);
    api.on(DeleteRestApiCommand).resolves({});
    const ctx = testContext<RestApiOptions>({ resource: restApi });
    await restApi.delete(ctx, { ...backend, details: { usagePlans: [{ id: "up1", stages: "prod" }] } });
    expect(commandNames()).toEqual(["GetUsagePlansCommand", "UpdateUsagePlanCommand", "DeleteRestApiCommand"]);
  });

  it("reads the usage plans fresh and retries once when DeleteRestApi refuses for one the plan did not see", async () => {
    const { plans, ctx, planned } = await planBackend([studentPlan()]);
    // Made after the plan.
    plans.push({ id: "up2", name: "new-plan", apiStages: [{ apiId: backend.id, stage: "prod" }], keys: [] });
    api
      .on(DeleteRestApiCommand)
      .rejectsOnce(
        new BadRequestException({
          message: "Cannot delete the API: it is associated with usage plan up2",
          ...meta(400),
        }),
      )
      .resolves({});

    await restApi.delete(ctx, planned);

    expect(commandNames()).toEqual([
      "UpdateUsagePlanCommand",
      "DeleteRestApiCommand",
      "GetUsagePlansCommand",
      "UpdateUsagePlanCommand",
      "DeleteRestApiCommand",
    ]);
    expect(api).toHaveReceivedNthCommandWith(UpdateUsagePlanCommand, 2, { usagePlanId: "up2" });
    expect(plans.map((p) => p.apiStages)).toEqual([[], []]);
  });

  it("reads the usage plans fresh when a stage the plan saw was taken out of its usage plan meanwhile", async () => {
    const { plans, ctx, planned } = await planBackend([studentPlan()]);
    api.on(DeleteRestApiCommand).resolves({});
    plans[0]!.apiStages = [];

    await restApi.delete(ctx, planned);

    // UpdateUsagePlan is refused ("Invalid API Stage specified"); the fresh read finds nothing left to remove.
    expect(commandNames()).toEqual(["UpdateUsagePlanCommand", "GetUsagePlansCommand", "DeleteRestApiCommand"]);
  });

  it("a second refusal for a usage plan is left to the engine's retry", async () => {
    usagePlansOfAccount([]);
    api
      .on(DeleteRestApiCommand)
      .rejects(new BadRequestException({ message: "it is associated with usage plan up2", ...meta(400) }));
    const ctx = testContext<RestApiOptions>({ resource: restApi });
    await expect(restApi.delete(ctx, { ...backend, details: { usagePlans: [] } })).rejects.toMatchObject({
      kind: "dependency-pending",
    });
    expect(commandNames()).toEqual(["DeleteRestApiCommand", "GetUsagePlansCommand", "DeleteRestApiCommand"]);
  });

  it("with deleteUsagePlans, removes a stage of the API added to its usage plan after the plan, then deletes it", async () => {
    const { plans, ctx, planned } = await planBackend([studentPlan()], { deleteUsagePlans: true });
    api.on(DeleteRestApiCommand).resolves({});
    plans[0]!.apiStages!.push({ apiId: backend.id, stage: "dev" });

    await restApi.delete(ctx, planned);

    expect(plans).toEqual([]);
    expect(commandNames()).toEqual([
      "UpdateUsagePlanCommand",
      "DeleteRestApiCommand",
      "DeleteUsagePlanCommand",
      "GetUsagePlanCommand",
      "UpdateUsagePlanCommand",
      "DeleteUsagePlanCommand",
    ]);
  });

  it("with deleteUsagePlans, keeps a usage plan that another API's stage joined after the plan", async () => {
    const { plans, ctx, planned } = await planBackend([studentPlan()], { deleteUsagePlans: true });
    api.on(DeleteRestApiCommand).resolves({});
    plans[0]!.apiStages!.push({ apiId: "zz9", stage: "prod" });

    await restApi.delete(ctx, planned);

    expect(plans[0]?.apiStages).toEqual([{ apiId: "zz9", stage: "prod" }]);
    expect(commandNames()).toEqual([
      "UpdateUsagePlanCommand",
      "DeleteRestApiCommand",
      "DeleteUsagePlanCommand",
      "GetUsagePlanCommand",
    ]);
  });

  it("with deleteUsagePlans, a refusal for stages the usage plan no longer shows is retried, not a kept usage plan", async () => {
    const { plans, apiKeys, ctx, planned } = await planBackend([studentPlan([studentKey])], {
      deleteUsagePlans: true,
    });
    api
      .on(DeleteRestApiCommand)
      .resolvesOnce({})
      .rejects(new NotFoundException({ message: "Invalid API identifier specified", ...meta(404) }));
    // Right after the stage is removed, AWS may still refuse as if it were there.
    api.on(DeleteUsagePlanCommand).rejectsOnce(stagesStillAssociated());

    await expect(restApi.delete(ctx, planned)).rejects.toMatchObject({ kind: "dependency-pending" });
    expect(plans.map((p) => p.id)).toEqual(["up1"]);
    expect(apiKeys.has("k1")).toBe(true);

    // The engine's retry finds the API gone and deletes the usage plan and its key.
    api.on(DeleteUsagePlanCommand).callsFake(() => (plans.splice(0, 1), {}));
    await expect(restApi.delete(ctx, planned)).rejects.toMatchObject({ kind: "not-found" });
    expect(plans).toEqual([]);
    expect(api).toHaveReceivedCommandWith(DeleteApiKeyCommand, { apiKey: "k1" });
  });

  it("with deleteUsagePlans, still removes the keys of a usage plan that went between a refusal and the read", async () => {
    const { apiKeys, ctx, planned } = await planBackend([studentPlan([studentKey])], {
      deleteUsagePlans: true,
    });
    api.on(DeleteRestApiCommand).resolves({});
    api.on(DeleteUsagePlanCommand).rejectsOnce(stagesStillAssociated());
    api
      .on(GetUsagePlanCommand)
      .rejects(new NotFoundException({ message: "Invalid Usage Plan ID specified", ...meta(404) }));
    api.on(GetUsagePlansCommand, { keyId: "k1", limit: 1 }).resolves({ items: [] });

    await restApi.delete(ctx, planned);

    expect(apiKeys.has("k1")).toBe(false);
  });

  it("keeps a usage plan that still serves another API, with its keys", async () => {
    const { plans, apiKeys, ctx, planned } = await planBackend(
      [
        {
          id: "up2",
          name: "student-shared-plan",
          apiStages: [
            { apiId: backend.id, stage: "prod" },
            { apiId: "zz9", stage: "prod" },
          ],
          keys: [studentKey],
        },
      ],
      { deleteUsagePlans: true },
    );
    api.on(DeleteRestApiCommand).resolves({});
    await restApi.delete(ctx, planned);
    expect(plans[0]?.apiStages).toEqual([{ apiId: "zz9", stage: "prod" }]);
    expect([...apiKeys]).toEqual(["k1"]);
    expect(api).not.toHaveReceivedCommand(DeleteUsagePlanCommand);
    // It served another API when planned: read before deleting (that API may stay).
    expect(api).toHaveReceivedCommandOnce(GetUsagePlanCommand);
  });

  it("is idempotent: a second run finishes the key cleanup and reports the API as already gone", async () => {
    const { apiKeys, ctx, planned } = await planBackend([studentPlan([studentKey])], {
      deleteUsagePlans: true,
    });
    // First attempt: the API and the usage plan go, then deleting the key is throttled.
    api
      .on(DeleteRestApiCommand)
      .resolvesOnce({})
      .rejects(new NotFoundException({ message: "Invalid API identifier specified", ...meta(404) }));
    api
      .on(DeleteApiKeyCommand)
      .rejectsOnce(new TooManyRequestsException({ message: "Too Many Requests", ...meta(429) }));
    await expect(restApi.delete(ctx, planned)).rejects.toMatchObject({ kind: "throttled" });
    expect(apiKeys.has("k1")).toBe(true);

    // The retry finds the API gone, still removes the key, then reports the API as already deleted.
    api.on(DeleteApiKeyCommand).callsFake(() => (apiKeys.delete("k1"), {}));
    await expect(restApi.delete(ctx, planned)).rejects.toMatchObject({ kind: "not-found" });
    expect(apiKeys.size).toBe(0);
  });

  it("never lets a usage plan that vanished meanwhile read as the API being gone", async () => {
    api
      .on(GetUsagePlansCommand)
      .resolves({ items: [{ id: "up1", name: "p", apiStages: [{ apiId: backend.id, stage: "prod" }] }] });
    api
      .on(UpdateUsagePlanCommand)
      .rejects(new NotFoundException({ message: "Invalid Usage Plan ID specified", ...meta(404) }));
    api.on(DeleteRestApiCommand).resolves({});
    await restApi.delete(testContext<RestApiOptions>({ resource: restApi }), backend);
    expect(api).toHaveReceivedCommandOnce(DeleteRestApiCommand);
  });

  it("classifies a 429 TooManyRequestsException from DeleteRestApi as throttled (waited out, not failed)", async () => {
    usagePlansOfAccount([]);
    api.on(DeleteRestApiCommand).rejects(new TooManyRequestsException({ message: "Too Many Requests", ...meta(429) }));
    await expect(restApi.delete(testContext<RestApiOptions>({ resource: restApi }), backend)).rejects.toMatchObject({
      kind: "throttled",
      retryable: true,
    });
  });

  it("turns a 500 for an API that does not exist (moto) into NotFound, checked with GetRestApi", async () => {
    usagePlansOfAccount([]);
    api.on(DeleteRestApiCommand).rejects(internalFailure());
    api
      .on(GetRestApiCommand)
      .rejects(new NotFoundException({ message: "Invalid API identifier specified", ...meta(404) }));
    await expect(restApi.delete(testContext<RestApiOptions>({ resource: restApi }), backend)).rejects.toMatchObject({
      kind: "not-found",
    });
    expect(api).toHaveReceivedCommandWith(GetRestApiCommand, { restApiId: backend.id });
  });

  it("keeps a 500 retryable when GetRestApi shows the API is still there", async () => {
    usagePlansOfAccount([]);
    api.on(DeleteRestApiCommand).rejects(internalFailure());
    api.on(GetRestApiCommand).resolves({ id: backend.id });
    await expect(restApi.delete(testContext<RestApiOptions>({ resource: restApi }), backend)).rejects.toMatchObject({
      kind: "throttled",
    });
  });

  it("fails with what to do when a custom domain still maps the API", async () => {
    usagePlansOfAccount([]);
    api.on(DeleteRestApiCommand).rejects(
      new BadRequestException({
        message:
          "Deleting RestApi a1b2c3 failed. Please remove all base path mappings related to the RestApi in your domains: api.example.com.",
        ...meta(400),
      }),
    );
    const error = await restApi
      .delete(testContext<RestApiOptions>({ resource: restApi }), backend)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "fatal", message: expect.stringContaining("apigateway.domain-name") });
  });

  it("never deletes a usage plan for an API that stays", async () => {
    const { plans, ctx, planned } = await planBackend([studentPlan()], { deleteUsagePlans: true });
    api.on(DeleteRestApiCommand).rejects(
      new BadRequestException({
        message: "Please remove all base path mappings related to the RestApi",
        ...meta(400),
      }),
    );
    await expect(restApi.delete(ctx, planned)).rejects.toMatchObject({ kind: "fatal" });
    expect(plans.map((p) => p.id)).toEqual(["up1"]);
    expect(api).not.toHaveReceivedCommand(DeleteUsagePlanCommand);
  });
});

describe("apigateway.rest-api verify", () => {
  it("reads the API fresh: present while GetRestApi answers, gone on NotFound", async () => {
    api
      .on(GetRestApiCommand)
      .resolvesOnce({ id: backend.id })
      .rejects(new NotFoundException({ message: "Invalid API identifier specified", ...meta(404) }));
    const ctx = testContext<RestApiOptions>({ resource: restApi });
    expect(await restApi.verify(ctx, backend)).toBe("present");
    expect(await restApi.verify(ctx, backend)).toBe("gone");
  });
});
