/**
 * Contract fixtures (`testResourceType`) for the IAM types, on the in-memory
 * IAM of `fake-iam.ts`. Each seeds what a delete has to undo, so the
 * contract's delete check runs the type's whole sequence against IAM's
 * DeleteConflict rules: roles own more inline policies than a page holds,
 * managed-policy attachments and an instance profile; policies have
 * non-default versions and are attached to a role, a user and a group;
 * instance profiles hold a role. Lists answer at most `pageSize` items
 * whatever MaxItems asks, as IAM may ("might return fewer results").
 */
import { IAMClient, type Tag } from "@aws-sdk/client-iam";
import type { ContractFixture, ContractResource } from "@cleanup-runner/plugin-kit/contract";
import { mockClient } from "aws-sdk-client-mock";
import { FakeIam, trustPolicyFor } from "./fake-iam.js";

const readOnlyAccess = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/** The seeded tags as IAM keeps them. */
function iamTags(resource: ContractResource): Tag[] {
  return Object.entries(resource.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

/** A fixture on a fresh FakeIam, seeded by `populate`; `present` names what is left of the type. */
function iamFixture(
  populate: (fake: FakeIam, resources: readonly ContractResource[]) => void,
  present: (fake: FakeIam) => string[],
  pageSize: number,
): ContractFixture {
  const stub = mockClient(IAMClient);
  let fake = new FakeIam();
  return {
    seed(resources) {
      stub.reset();
      fake = new FakeIam();
      fake.maxPageSize = pageSize;
      populate(fake, resources);
      fake.install(stub);
    },
    present: () => present(fake),
  };
}

/**
 * Roles, each with 5 inline policies, an AWS-managed and a customer-managed
 * policy attached, and its own instance profile. Only the roles are
 * `present`: the customer-managed policy stays after a delete (detached).
 */
export function fakeIamRoles(pageSize = 4): ContractFixture {
  return iamFixture(
    (fake, resources) => {
      fake.addPolicy({ name: "ReadOnlyAccess", arn: readOnlyAccess });
      const shared = fake.addPolicy({ name: "contract-shared-policy" });
      for (const r of resources) {
        fake.addRole({
          name: r.name,
          tags: iamTags(r),
          inlinePolicies: ["logs", "s3", "sqs", "dynamodb", "ses"].map((p) => `${r.name}-${p}`),
          attachedPolicyArns: [readOnlyAccess, shared.arn],
        });
        fake.addInstanceProfile({ name: `${r.name}-profile`, roleNames: [r.name] });
      }
    },
    (fake) => [...fake.roles.keys()],
    pageSize,
  );
}

/**
 * Customer-managed policies, each with 3 versions and attached to one role,
 * one user and one group; an AWS-managed policy sits beside them, which
 * discover (Scope Local) must not yield. `present` names the customer-managed ones.
 */
export function fakeIamPolicies(pageSize = 4): ContractFixture {
  return iamFixture(
    (fake, resources) => {
      fake.addPolicy({ name: "ReadOnlyAccess", arn: readOnlyAccess });
      fake.addRole({ name: "contract-app-role" });
      for (const r of resources) {
        const policy = fake.addPolicy({
          name: r.name,
          tags: iamTags(r),
          versionIds: ["v1", "v2", "v3"],
          defaultVersionId: "v3",
        });
        fake.attach(policy.arn, { role: "contract-app-role", user: "contract-user", group: "contract-group" });
      }
    },
    (fake) => [...fake.policies.values()].filter((p) => p.arn !== readOnlyAccess).map((p) => p.name),
    pageSize,
  );
}

/** Instance profiles, each holding a role of its own; the roles stay after a delete. */
export function fakeIamInstanceProfiles(pageSize = 4): ContractFixture {
  return iamFixture(
    (fake, resources) => {
      for (const r of resources) {
        const role = fake.addRole({ name: `${r.name}-role`, trustPolicy: trustPolicyFor("ec2.amazonaws.com") });
        fake.addInstanceProfile({ name: r.name, tags: iamTags(r), roleNames: [role.name] });
      }
    },
    (fake) => [...fake.profiles.keys()],
    pageSize,
  );
}
