import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
  type Tag,
} from "@aws-sdk/client-iam";
import { clientConfig, seeded, type SeedResult, type SeedTarget } from "./types.js";

const awsManaged = {
  lambdaBasic: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
  appSyncLogs: "arn:aws:iam::aws:policy/service-role/AWSAppSyncPushToCloudWatchLogs",
  amplifyAdmin: "arn:aws:iam::aws:policy/AdministratorAccess-Amplify",
};

function trust(...services: string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: services }, Action: "sts:AssumeRole" }],
  });
}

function allow(actions: string[], resource = "*"): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: actions, Resource: resource }],
  });
}

function isAlreadyThere(error: unknown): boolean {
  const { name, message } = error as { name?: string; message?: string };
  // CreateServiceLinkedRole answers InvalidInput "...has been taken in this account" for an existing one.
  return name === "EntityAlreadyExistsException" || (name === "InvalidInputException" && /taken/.test(message ?? ""));
}

/**
 * Seeds the workshop's IAM footprint: six roles (Lambda execution with the
 * AWS-managed AWSLambdaBasicExecutionRole, AppSync, SES sender, Personalize
 * import, DynamoDB access in the instance profile `${prefix}-ec2-instance-profile`,
 * and the Amplify service role, tagged `workshop: student-system`), inline
 * policies, and the customer policies `${prefix}-dynamodb-access-policy` (two
 * versions) and `${prefix}-ses-send-policy`. Decoys: the role, policy and
 * instance profile `other-project-*`, and the service-linked role
 * `AWSServiceRoleForAutoScaling_${prefix}`. Decoys outlive a run, so seeding
 * again keeps the ones already there.
 */
export async function seedIam(target: SeedTarget, prefix: string): Promise<SeedResult> {
  const iam = new IAMClient(clientConfig(target));

  async function keepIfThere(create: () => Promise<unknown>): Promise<void> {
    try {
      await create();
    } catch (error) {
      if (!isAlreadyThere(error)) throw error;
    }
  }

  async function createPolicy(name: string, document: string): Promise<string> {
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: document }));
    return Policy!.Arn!;
  }

  async function createRole(
    name: string,
    services: string[],
    setup: { attach?: string[]; inline?: Record<string, string>; tags?: Tag[] },
  ): Promise<void> {
    await iam.send(
      new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust(...services), Tags: setup.tags }),
    );
    for (const [policyName, document] of Object.entries(setup.inline ?? {})) {
      await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: policyName, PolicyDocument: document }));
    }
    for (const arn of setup.attach ?? []) {
      await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn }));
    }
  }

  async function createInstanceProfile(name: string, roleName: string): Promise<void> {
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: roleName }));
  }

  const role = (name: string) => seeded(`iam.role ${name}`, () => iam.send(new GetRoleCommand({ RoleName: name })));
  const policy = (arn: string) =>
    seeded(`iam.policy ${arn.split("/").pop()}`, () => iam.send(new GetPolicyCommand({ PolicyArn: arn })));
  const instanceProfile = (name: string) =>
    seeded(`iam.instance-profile ${name}`, () =>
      iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name })),
    );

  const tableAccess = await createPolicy(
    `${prefix}-dynamodb-access-policy`,
    allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]),
  );
  await iam.send(
    new CreatePolicyVersionCommand({
      PolicyArn: tableAccess,
      PolicyDocument: allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan"]),
      SetAsDefault: true,
    }),
  );
  const sesSend = await createPolicy(`${prefix}-ses-send-policy`, allow(["ses:SendEmail", "ses:SendRawEmail"]));

  const roles = {
    lambda: `${prefix}-lambda-execution-role`,
    appSync: `${prefix}-appsync-role`,
    sesSender: `${prefix}-ses-sender-role`,
    personalizeImport: `${prefix}-personalize-import-role`,
    tableAccess: `${prefix}-dynamodb-access-role`,
    amplify: `${prefix}-amplify-service-role`,
  };
  await createRole(roles.lambda, ["lambda.amazonaws.com"], {
    attach: [awsManaged.lambdaBasic, tableAccess],
    inline: { "personalize-recommendations": allow(["personalize:GetRecommendations"]) },
  });
  await createRole(roles.appSync, ["appsync.amazonaws.com"], {
    attach: [awsManaged.appSyncLogs],
    inline: { "dynamodb-resolvers": allow(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"]) },
  });
  await createRole(roles.sesSender, ["lambda.amazonaws.com"], { attach: [awsManaged.lambdaBasic, sesSend] });
  await createRole(roles.personalizeImport, ["personalize.amazonaws.com"], {
    inline: { "read-training-data": allow(["s3:GetObject", "s3:ListBucket"]) },
  });
  await createRole(roles.tableAccess, ["lambda.amazonaws.com", "ec2.amazonaws.com"], { attach: [tableAccess] });
  await createRole(roles.amplify, ["amplify.amazonaws.com"], {
    attach: [awsManaged.amplifyAdmin],
    tags: [{ Key: "workshop", Value: "student-system" }],
  });
  const profileName = `${prefix}-ec2-instance-profile`;
  await createInstanceProfile(profileName, roles.tableAccess);

  const decoyRole = "other-project-role";
  await keepIfThere(() =>
    createRole(decoyRole, ["lambda.amazonaws.com"], {
      attach: [awsManaged.lambdaBasic],
      tags: [{ Key: "workshop", Value: "other-project" }],
    }),
  );
  // The decoy policy's ARN holds the account id: read it from the decoy role's.
  const { Role: decoy } = await iam.send(new GetRoleCommand({ RoleName: decoyRole }));
  const decoyPolicyArn = decoy!.Arn!.replace(/:role\/.*$/, ":policy/other-project-policy");
  await keepIfThere(() => createPolicy("other-project-policy", allow(["s3:GetObject"])));
  await keepIfThere(() => iam.send(new AttachRolePolicyCommand({ RoleName: decoyRole, PolicyArn: decoyPolicyArn })));
  await keepIfThere(() => createInstanceProfile("other-project-instance-profile", decoyRole));
  // Auto Scaling takes a custom suffix: one service-linked role per prefix.
  const serviceLinkedRole = `AWSServiceRoleForAutoScaling_${prefix}`;
  await keepIfThere(() =>
    iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: "autoscaling.amazonaws.com", CustomSuffix: prefix })),
  );

  return {
    selected: [...Object.values(roles).map(role), policy(tableAccess), policy(sesSend), instanceProfile(profileName)],
    decoys: [
      role(decoyRole),
      policy(decoyPolicyArn),
      instanceProfile("other-project-instance-profile"),
      role(serviceLinkedRole),
      policy(awsManaged.lambdaBasic),
    ],
  };
}
