import { ListDatasetImportJobsCommand, PersonalizeClient } from "@aws-sdk/client-personalize";
import { testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { listedStatus, listingMaxAgeMs } from "./blocker-listings.js";
import { FakePersonalizeAccount, ManualClock, throttlingError } from "./testing/index.js";

const personalize = mockClient(PersonalizeClient);

beforeEach(() => {
  personalize.reset();
});

/** An account with one dataset and `jobs` import jobs still running on it, `pageSize` to a List* page. */
function importJobs(jobs: number, pageSize = 100) {
  const account = new FakePersonalizeAccount({ clock: new ManualClock(), pageSize });
  account.install(personalize);
  const group = account.addDatasetGroup({ name: "g" });
  const schema = account.addSchema({ name: "s" });
  const dataset = account.addDataset({ name: "items", group, type: "Items", schema });
  const add = (name: string) => account.addImportJob({ name, dataset, status: "CREATE IN_PROGRESS" });
  return { account, dataset, add, arns: Array.from({ length: jobs }, (_, i) => add(`job-${i}`)) };
}

const importJob = (arn: string) => ({ arn, kind: "import job" as const });
const listings = () => personalize.commandCalls(ListDatasetImportJobsCommand).length;

describe("blocker listings", () => {
  it("read every page of the region's listing of the kind", async () => {
    const { arns } = importJobs(5, 2);
    const ctx = testContext();

    await expect(listedStatus(ctx, importJob(arns[4]!), ctx.now())).resolves.toBe("CREATE IN_PROGRESS");

    // The last of three pages; no datasetArn: the whole region.
    expect(listings()).toBe(3);
    expect(personalize).not.toHaveReceivedCommandWith(ListDatasetImportJobsCommand, { datasetArn: expect.anything() });
  });

  it("answer every check of the kind from one listing for 15 s, then list again", async () => {
    const { arns } = importJobs(2);
    const ctx = testContext();
    const seenAt = ctx.now();

    await listedStatus(ctx, importJob(arns[0]!), seenAt);
    await ctx.sleep(listingMaxAgeMs);
    await listedStatus(ctx, importJob(arns[1]!), seenAt);
    expect(listings()).toBe(1);

    await ctx.sleep(1);
    await listedStatus(ctx, importJob(arns[0]!), seenAt);
    expect(listings()).toBe(2);
  });

  it("say gone only from a listing that began after the blocker was seen", async () => {
    const { add, arns } = importJobs(1);
    const ctx = testContext();
    await listedStatus(ctx, importJob(arns[0]!), ctx.now());
    await ctx.sleep(1_000);
    // Started after that listing: the listing, still recent, cannot tell it is gone.
    const newer = add("newer");
    const seenAt = ctx.now();

    await expect(listedStatus(ctx, importJob(newer), seenAt)).resolves.toBe("CREATE IN_PROGRESS");
    expect(listings()).toBe(2);
    // The listing that began after it was seen answers for something it lacks: gone, without listing again.
    await expect(listedStatus(ctx, importJob(`${newer}-missing`), seenAt)).resolves.toBeUndefined();
    expect(listings()).toBe(2);
  });

  it("do not keep a failed listing: the next check lists again", async () => {
    const arn = "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/items-import";
    const ctx = testContext();
    personalize
      .on(ListDatasetImportJobsCommand)
      .rejectsOnce(throttlingError())
      .resolves({ datasetImportJobs: [{ datasetImportJobArn: arn, status: "CREATE IN_PROGRESS" }] });

    await expect(listedStatus(ctx, importJob(arn), ctx.now())).rejects.toThrow("Rate exceeded");
    await expect(listedStatus(ctx, importJob(arn), ctx.now())).resolves.toBe("CREATE IN_PROGRESS");
    expect(listings()).toBe(2);
  });

  it("are kept per client: another run or region lists for itself", async () => {
    const { arns } = importJobs(1);
    const [first, second] = [testContext(), testContext()];

    await listedStatus(first, importJob(arns[0]!), first.now());
    await listedStatus(second, importJob(arns[0]!), second.now());

    expect(listings()).toBe(2);
  });
});
